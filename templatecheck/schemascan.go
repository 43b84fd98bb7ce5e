package templatecheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// indexDefinitions scans the schema for the byte span of every entry of its top-level
// "definitions" object. It is a structural scan (strings, nesting), not a full parse: the input
// is a trusted generated constant, and every span it yields is parsed properly by json.Unmarshal
// before use, so a scanning mistake would surface as an error, never as a silent wrong answer.
func indexDefinitions(src string) (map[string]span, error) {
	sc := scanner{src: src}
	idx := map[string]span{}
	sc.ws()
	if !sc.eat('{') {
		return nil, sc.errorf("expected '{'")
	}
	for {
		sc.ws()
		if sc.eat('}') {
			break
		}
		key, err := sc.key()
		if err != nil {
			return nil, err
		}
		if key != "definitions" {
			if err := sc.skipValue(); err != nil {
				return nil, err
			}
		} else {
			if !sc.eat('{') {
				return nil, sc.errorf("expected '{' after \"definitions\"")
			}
			for {
				sc.ws()
				if sc.eat('}') {
					break
				}
				name, err := sc.key()
				if err != nil {
					return nil, err
				}
				start := sc.i
				if err := sc.skipValue(); err != nil {
					return nil, err
				}
				idx[name] = span{int32(start), int32(sc.i)}
				sc.ws()
				sc.eat(',')
			}
		}
		sc.ws()
		sc.eat(',')
	}
	if len(idx) == 0 {
		return nil, errors.New("no definitions found")
	}
	return idx, nil
}

// scanner walks JSON text without building values.
type scanner struct {
	src string
	i   int
}

// errorf reports a scanning error at the current offset.
func (sc *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", sc.i, fmt.Sprintf(format, args...))
}

// ws skips whitespace.
func (sc *scanner) ws() {
	for sc.i < len(sc.src) {
		switch sc.src[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// eat consumes b if it is next.
func (sc *scanner) eat(b byte) bool {
	if sc.i < len(sc.src) && sc.src[sc.i] == b {
		sc.i++
		return true
	}
	return false
}

// key reads an object key and the colon after it, leaving the scanner at the value.
func (sc *scanner) key() (string, error) {
	start := sc.i
	if err := sc.skipString(); err != nil {
		return "", err
	}
	raw := sc.src[start:sc.i]
	key := raw[1 : len(raw)-1]
	if strings.IndexByte(key, '\\') >= 0 {
		if err := json.Unmarshal([]byte(raw), &key); err != nil {
			return "", sc.errorf("bad key %s: %v", raw, err)
		}
	}
	sc.ws()
	if !sc.eat(':') {
		return "", sc.errorf("expected ':' after key %s", raw)
	}
	sc.ws()
	return key, nil
}

// skipString moves past one JSON string, honouring escapes.
func (sc *scanner) skipString() error {
	if !sc.eat('"') {
		return sc.errorf("expected string")
	}
	for {
		j := strings.IndexAny(sc.src[sc.i:], "\"\\")
		if j < 0 {
			return sc.errorf("unterminated string")
		}
		sc.i += j
		if sc.src[sc.i] == '\\' {
			sc.i += 2
			continue
		}
		sc.i++
		return nil
	}
}

// skipValue moves past one JSON value of any kind.
func (sc *scanner) skipValue() error {
	if sc.i >= len(sc.src) {
		return sc.errorf("unexpected end")
	}
	switch sc.src[sc.i] {
	case '"':
		return sc.skipString()
	case '{', '[':
		// A tight byte loop: the schema is mostly indentation and short keys, where calling
		// out to strings.IndexAny per string costs more than it saves.
		src, depth := sc.src, 0
		for i := sc.i; i < len(src); i++ {
			switch src[i] {
			case '"':
				for i++; i < len(src) && src[i] != '"'; i++ {
					if src[i] == '\\' {
						i++
					}
				}
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					sc.i = i + 1
					return nil
				}
			}
		}
		sc.i = len(src)
		return sc.errorf("unterminated object or array")
	default:
		for sc.i < len(sc.src) {
			switch sc.src[sc.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return nil
			}
			sc.i++
		}
		return nil
	}
}
