package jsontree

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrSyntax is the error of every document the parser refuses.
var ErrSyntax = errors.New("invalid JSON")

// A Parser reads JSON documents. It accepts exactly what encoding/json
// accepts and decodes strings exactly as it does (invalid UTF-8 and lone
// surrogates become U+FFFD). The zero Parser is ready to use; it keeps its
// scratch space from one document to the next, and must not be used by two
// goroutines at once.
type Parser struct {
	// Strings, when set, sees every string value (not keys) and may
	// replace it by a node of its own.
	Strings func(s string) (Node, bool)

	src   string
	pos   int
	depth int
	// members and elems are scratch stacks: an object's members, or an
	// array's elements, gather on top while it is parsed and are copied
	// out, at their final size, when it ends.
	members []Member
	elems   []Node
}

// Parse parses a document that holds one value and nothing else but white
// space.
func (p *Parser) Parse(src string) (Node, error) {
	n, err := p.ParseFirst(src)
	if err != nil {
		return Node{}, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return Node{}, p.fail("data after the value")
	}
	return n, nil
}

// ParseFirst parses the first value of src and ignores what follows it, as
// json.Decoder.Decode does.
func (p *Parser) ParseFirst(src string) (Node, error) {
	p.src, p.pos, p.depth = src, 0, 0
	return p.value()
}

// maxDepth is encoding/json's limit on nesting.
const maxDepth = 10000

// nest counts one more level of nesting until the matching end.
func (p *Parser) nest() (end func(), err error) {
	if p.depth++; p.depth > maxDepth {
		return nil, p.fail("exceeded max depth")
	}
	return func() { p.depth-- }, nil
}

func (p *Parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *Parser) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", ErrSyntax, what, p.pos)
}

// value parses the value at the current position, after any white space.
func (p *Parser) value() (Node, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return Node{}, p.fail("unexpected end")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		if err != nil {
			return Node{}, err
		}
		if p.Strings != nil {
			if n, ok := p.Strings(s); ok {
				return n, nil
			}
		}
		return Node{Kind: String, Text: s}, nil
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	default:
		for _, lit := range [...]struct {
			word string
			kind Kind
		}{{"null", Null}, {"true", True}, {"false", False}} {
			if len(p.src)-p.pos >= len(lit.word) && p.src[p.pos:p.pos+len(lit.word)] == lit.word {
				p.pos += len(lit.word)
				return Node{Kind: lit.kind}, nil
			}
		}
		return Node{}, p.fail("unexpected character")
	}
}

func (p *Parser) object() (Node, error) {
	end, err := p.nest()
	if err != nil {
		return Node{}, err
	}
	defer end()
	p.pos++ // '{'
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		return Node{Kind: Object}, nil
	}
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	for {
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return Node{}, p.fail("expected a key")
		}
		key, err := p.string()
		if err != nil {
			return Node{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return Node{}, p.fail("expected ':'")
		}
		p.pos++
		val, err := p.value()
		if err != nil {
			return Node{}, err
		}
		p.members = append(p.members, Member{Key: key, Value: val})
		p.skipSpace()
		if p.pos >= len(p.src) {
			return Node{}, p.fail("unexpected end of object")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] != '}' {
			return Node{}, p.fail("expected ',' or '}'")
		}
		p.pos++
		members := make([]Member, len(p.members)-base)
		copy(members, p.members[base:])
		return Node{Kind: Object, Members: SortMembers(members)}, nil
	}
}

func (p *Parser) array() (Node, error) {
	end, err := p.nest()
	if err != nil {
		return Node{}, err
	}
	defer end()
	p.pos++ // '['
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		return Node{Kind: Array, Elems: []Node{}}, nil
	}
	base := len(p.elems)
	defer func() { p.elems = p.elems[:base] }()
	for {
		val, err := p.value()
		if err != nil {
			return Node{}, err
		}
		p.elems = append(p.elems, val)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return Node{}, p.fail("unexpected end of array")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] != ']' {
			return Node{}, p.fail("expected ',' or ']'")
		}
		p.pos++
		elems := make([]Node, len(p.elems)-base)
		copy(elems, p.elems[base:])
		return Node{Kind: Array, Elems: elems}, nil
	}
}

// number checks a number against JSON's grammar and keeps its literal.
func (p *Parser) number() (Node, error) {
	start := p.pos
	s := p.src
	i := p.pos
	if s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		p.pos = i
		return Node{}, p.fail("invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			p.pos = i
			return Node{}, p.fail("invalid number")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.pos = i
			return Node{}, p.fail("invalid number")
		}
	}
	p.pos = i
	return Node{Kind: Number, Text: s[start:i]}, nil
}

// string reads a quoted string and returns its decoded value. A string
// without escapes and with valid UTF-8, the common case, is a slice of the
// source and costs no copy.
func (p *Parser) string() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	s := p.src
	plain := true
	for i := start; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			p.pos = i + 1
			raw := s[start:i]
			if plain && utf8.ValidString(raw) {
				return raw, nil
			}
			return unquote(raw), nil
		case c == '\\':
			plain = false
			if i+1 >= len(s) {
				p.pos = i
				return "", p.fail("unexpected end of string")
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if getu4(s[i:]) < 0 {
					p.pos = i
					return "", p.fail("invalid \\u escape")
				}
				i += 6
			default:
				p.pos = i
				return "", p.fail("invalid escape")
			}
		case c < ' ':
			p.pos = i
			return "", p.fail("control character in string")
		default:
			i++
		}
	}
	p.pos = len(s)
	return "", p.fail("unexpected end of string")
}

// unquote decodes the body of a string literal whose escapes the parser
// has already checked, exactly as encoding/json does: a lone or mismatched
// surrogate and every byte of invalid UTF-8 become U+FFFD.
func unquote(s string) string {
	b := make([]byte, 0, len(s))
	for r := 0; r < len(s); {
		switch c := s[r]; {
		case c == '\\':
			switch s[r+1] {
			case '"', '\\', '/':
				b = append(b, s[r+1])
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r:])
				r += 6
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
						r += 6
						b = utf8.AppendRune(b, dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			}
			r += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRuneInString(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return string(b)
}

// getu4 decodes the \uXXXX escape at the start of s, or returns -1.
func getu4(s string) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range []byte(s[2:6]) {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
