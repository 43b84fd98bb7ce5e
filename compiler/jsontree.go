package compiler

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonKind is the type of a jsonNode.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonFalse
	jsonTrue
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// jsonNode is one value of a JSON document as the renderer needs it:
// numbers keep their literal text, objects keep their members sorted by
// key (the canonical order), and a duplicate key keeps its last value, as
// decoding into a Go map would. It replaces encoding/json's map[string]any
// tree, whose decoding, map iteration and key sorting were most of the
// cost of rendering.
type jsonNode struct {
	kind jsonKind
	// intrinsic marks an object decoded from a goformation-encoded
	// intrinsic function string.
	intrinsic bool
	// text is a string's decoded value or a number's literal.
	text    string
	elems   []jsonNode
	members []jsonMember
}

// jsonMember is one key and value of an object.
type jsonMember struct {
	key string
	val jsonNode
}

// member returns the value of key in an object node, if there is one.
func (n *jsonNode) member(key string) (*jsonNode, bool) {
	i := sort.Search(len(n.members), func(i int) bool { return n.members[i].key >= key })
	if i < len(n.members) && n.members[i].key == key {
		return &n.members[i].val, true
	}
	return nil, false
}

// jsonParser reads one JSON value from src. It accepts exactly what
// encoding/json accepts and decodes strings exactly as it does (invalid
// UTF-8 and lone surrogates become U+FFFD), so the renderer's output does
// not depend on which decoder read the template.
type jsonParser struct {
	src string
	pos int
	// intrinsics makes the parser replace every string value that is a
	// goformation-encoded intrinsic function by the function's object
	// (see asIntrinsicNode).
	intrinsics bool
}

var errJSONSyntax = errors.New("invalid JSON")

// parseJSON parses the JSON document src, which must hold one value and
// nothing else but white space.
func parseJSON(src string, intrinsics bool) (jsonNode, error) {
	p := &jsonParser{src: src, intrinsics: intrinsics}
	n, err := p.value()
	if err != nil {
		return jsonNode{}, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return jsonNode{}, fmt.Errorf("%w: data after the value at offset %d", errJSONSyntax, p.pos)
	}
	return n, nil
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", errJSONSyntax, what, p.pos)
}

// value parses the value at the current position, after any white space.
func (p *jsonParser) value() (jsonNode, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return jsonNode{}, p.fail("unexpected end")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		if err != nil {
			return jsonNode{}, err
		}
		if p.intrinsics {
			if fn, ok := asIntrinsicNode(s); ok {
				return fn, nil
			}
		}
		return jsonNode{kind: jsonString, text: s}, nil
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	default:
		for _, lit := range [...]struct {
			word string
			kind jsonKind
		}{{"null", jsonNull}, {"true", jsonTrue}, {"false", jsonFalse}} {
			if len(p.src)-p.pos >= len(lit.word) && p.src[p.pos:p.pos+len(lit.word)] == lit.word {
				p.pos += len(lit.word)
				return jsonNode{kind: lit.kind}, nil
			}
		}
		return jsonNode{}, p.fail("unexpected character")
	}
}

func (p *jsonParser) object() (jsonNode, error) {
	p.pos++ // '{'
	var members []jsonMember
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		return jsonNode{kind: jsonObject}, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return jsonNode{}, p.fail("expected a key")
		}
		key, err := p.string()
		if err != nil {
			return jsonNode{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return jsonNode{}, p.fail("expected ':'")
		}
		p.pos++
		val, err := p.value()
		if err != nil {
			return jsonNode{}, err
		}
		members = append(members, jsonMember{key: key, val: val})
		p.skipSpace()
		if p.pos >= len(p.src) {
			return jsonNode{}, p.fail("unexpected end of object")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] != '}' {
			return jsonNode{}, p.fail("expected ',' or '}'")
		}
		p.pos++
		return jsonNode{kind: jsonObject, members: sortMembers(members)}, nil
	}
}

// sortMembers orders members by key and keeps only the last of equal keys.
func sortMembers(ms []jsonMember) []jsonMember {
	if len(ms) < 2 {
		return ms
	}
	slices.SortStableFunc(ms, func(a, b jsonMember) int { return strings.Compare(a.key, b.key) })
	out := ms[:0]
	for i := range ms {
		if i+1 < len(ms) && ms[i+1].key == ms[i].key {
			continue
		}
		out = append(out, ms[i])
	}
	return out
}

func (p *jsonParser) array() (jsonNode, error) {
	p.pos++ // '['
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		return jsonNode{kind: jsonArray, elems: []jsonNode{}}, nil
	}
	var elems []jsonNode
	for {
		val, err := p.value()
		if err != nil {
			return jsonNode{}, err
		}
		elems = append(elems, val)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return jsonNode{}, p.fail("unexpected end of array")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] != ']' {
			return jsonNode{}, p.fail("expected ',' or ']'")
		}
		p.pos++
		return jsonNode{kind: jsonArray, elems: elems}, nil
	}
}

// number checks a number against JSON's grammar and keeps its literal.
func (p *jsonParser) number() (jsonNode, error) {
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
		return jsonNode{}, p.fail("invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			p.pos = i
			return jsonNode{}, p.fail("invalid number")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.pos = i
			return jsonNode{}, p.fail("invalid number")
		}
	}
	p.pos = i
	return jsonNode{kind: jsonNumber, text: s[start:i]}, nil
}

// string reads a quoted string and returns its decoded value. A string
// without escapes and with valid UTF-8, the common case, is a slice of the
// source and costs no copy.
func (p *jsonParser) string() (string, error) {
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
			return unquoteJSON(raw), nil
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

// unquoteJSON decodes the body of a string literal whose escapes the
// parser has already checked, exactly as encoding/json does: a lone or
// mismatched surrogate and every byte of invalid UTF-8 become U+FFFD.
func unquoteJSON(s string) string {
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
