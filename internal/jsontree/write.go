package jsontree

import (
	"bytes"
	"unicode/utf8"
)

// Write writes n in phasec's canonical form: keys sorted (Node keeps them
// so), two-space indent, no HTML escaping, no trailing newline. It
// produces exactly what encoding/json's Encoder would with
// SetEscapeHTML(false) and SetIndent("", "  "), without its reflection and
// its second indenting pass.
func Write(buf *bytes.Buffer, n *Node) { write(buf, n, 0) }

func write(buf *bytes.Buffer, n *Node, indent int) {
	switch n.Kind {
	case Null:
		buf.WriteString("null")
	case False:
		buf.WriteString("false")
	case True:
		buf.WriteString("true")
	case Number:
		buf.WriteString(n.Text)
	case String:
		WriteString(buf, n.Text)
	case Array:
		if len(n.Elems) == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteString("[\n")
		for i := range n.Elems {
			writeIndent(buf, indent+1)
			write(buf, &n.Elems[i], indent+1)
			if i < len(n.Elems)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		writeIndent(buf, indent)
		buf.WriteByte(']')
	case Object:
		if len(n.Members) == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteString("{\n")
		for i := range n.Members {
			m := &n.Members[i]
			writeIndent(buf, indent+1)
			WriteString(buf, m.Key)
			buf.WriteString(": ")
			write(buf, &m.Value, indent+1)
			if i < len(n.Members)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		writeIndent(buf, indent)
		buf.WriteByte('}')
	}
}

// indentation is enough two-space steps for any template; deeper levels
// are written in several pieces.
const indentation = "                                                                "

func writeIndent(buf *bytes.Buffer, n int) {
	for n *= 2; n > len(indentation); n -= len(indentation) {
		buf.WriteString(indentation)
	}
	buf.WriteString(indentation[:n])
}

const hexDigits = "0123456789abcdef"

// WriteString quotes s the way encoding/json does without HTML escaping:
// control characters (\b, \f, \n, \r and \t by name, the others as
// \u00XX), quotes, backslashes, U+2028 and U+2029 escaped;
// invalid UTF-8 replaced by U+FFFD.
func WriteString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			case '\b':
				buf.WriteString(`\b`)
			case '\f':
				buf.WriteString(`\f`)
			default:
				buf.WriteString(`\u00`)
				buf.WriteByte(hexDigits[c>>4])
				buf.WriteByte(hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(s[start:i])
			buf.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf.WriteString(s[start:i])
			buf.WriteString(`\u202`)
			buf.WriteByte(hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}
