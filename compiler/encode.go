package compiler

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/phasec/phasec/internal/jsontree"
)

// encodeTree turns a Go value into the JSON tree that json.Marshal
// followed by parsing, with intrinsics decoded, would give, without writing and reading
// the JSON in between. Rendering a template used to marshal it, which runs
// every resource's MarshalJSON and then re-scans and copies what each one
// wrote, and then parse the result again: most of the time Render took.
//
// It follows encoding/json's rules for the kinds of values templates hold
// (structs with plain JSON tags, string-keyed maps, slices, pointers,
// interfaces, strings, numbers, booleans), knows the one shape of
// MarshalJSON that goformation generates for every resource type, and
// hands anything else that marshals itself, or that it does not know,
// to json.Marshal and parses what comes back. TestEncodeTreeMatchesMarshal
// holds it to that on every stack the tests compile and on every resource
// type goformation has.
func encodeTree(v any) (jsontree.Node, error) {
	return encoder{intrinsics: true}.encodeValue(reflect.ValueOf(v))
}

// encoder holds how encodeTree is encoding.
type encoder struct {
	// intrinsics makes it decode goformation's encoded intrinsic
	// functions, as parsing does. Off, they stay strings.
	intrinsics bool
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	jsonNumberType    = reflect.TypeFor[json.Number]()
	resourceType      = reflect.TypeFor[cloudformation.Resource]()
	withAttrsType     = reflect.TypeFor[withAttributes]()
)

func (enc encoder) encodeValue(v reflect.Value) (jsontree.Node, error) {
	if !v.IsValid() {
		return jsontree.Node{Kind: jsontree.Null}, nil
	}
	t := v.Type()
	if t == withAttrsType {
		return enc.encodeWithAttributes(v.Interface().(withAttributes))
	}
	if m := marshalingOf(t); m.self || m.viaPointer && v.CanAddr() {
		if t.Kind() == reflect.Pointer && v.IsNil() {
			return jsontree.Node{Kind: jsontree.Null}, nil
		}
		if isGeneratedResource(t) {
			return enc.encodeResource(v)
		}
		if t.Kind() != reflect.Pointer && v.CanAddr() {
			v = v.Addr()
		}
		return enc.encodeByMarshal(v.Interface())
	}
	switch t.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return jsontree.Node{Kind: jsontree.True}, nil
		}
		return jsontree.Node{Kind: jsontree.False}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return jsontree.Node{Kind: jsontree.Number, Text: strconv.FormatInt(v.Int(), 10)}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return jsontree.Node{Kind: jsontree.Number, Text: strconv.FormatUint(v.Uint(), 10)}, nil
	case reflect.Float32, reflect.Float64:
		text, err := formatFloat(v.Float(), t.Bits())
		return jsontree.Node{Kind: jsontree.Number, Text: text}, err
	case reflect.String:
		if t == jsonNumberType {
			return enc.encodeByMarshal(v.Interface())
		}
		s := validUTF8(v.String())
		if enc.intrinsics {
			if fn, ok := asIntrinsicNode(s); ok {
				return fn, nil
			}
		}
		return jsontree.Node{Kind: jsontree.String, Text: s}, nil
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return jsontree.Node{Kind: jsontree.Null}, nil
		}
		return enc.encodeValue(v.Elem())
	case reflect.Struct:
		return enc.encodeStruct(v)
	case reflect.Map:
		if v.IsNil() {
			return jsontree.Node{Kind: jsontree.Null}, nil
		}
		if t.Key().Kind() != reflect.String {
			return enc.encodeByMarshal(v.Interface())
		}
		members := make([]jsontree.Member, 0, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			val, err := enc.encodeValue(iter.Value())
			if err != nil {
				return jsontree.Node{}, err
			}
			members = append(members, jsontree.Member{Key: validUTF8(iter.Key().String()), Value: val})
		}
		return jsontree.Node{Kind: jsontree.Object, Members: jsontree.SortMembers(members)}, nil
	case reflect.Slice:
		if v.IsNil() {
			return jsontree.Node{Kind: jsontree.Null}, nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return enc.encodeByMarshal(v.Interface()) // base64, or the elements' own marshalling
		}
		fallthrough
	case reflect.Array:
		elems := make([]jsontree.Node, v.Len())
		for i := range elems {
			e, err := enc.encodeValue(v.Index(i))
			if err != nil {
				return jsontree.Node{}, err
			}
			elems[i] = e
		}
		return jsontree.Node{Kind: jsontree.Array, Elems: elems}, nil
	}
	return enc.encodeByMarshal(v.Interface())
}

// marshaling says whether encoding/json lets values of a type write their
// own JSON: self when the type has MarshalJSON or MarshalText, viaPointer
// when only its pointer has, which encoding/json uses for addressable
// values.
type marshaling struct{ self, viaPointer bool }

var marshalings sync.Map // reflect.Type -> marshaling

// marshalingOf looks the answer up once per type: Type.Implements walks
// the method set and was a tenth of encoding time.
func marshalingOf(t reflect.Type) marshaling {
	if m, ok := marshalings.Load(t); ok {
		return m.(marshaling)
	}
	marshals := func(t reflect.Type) bool {
		return t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType)
	}
	m := marshaling{self: marshals(t)}
	m.viaPointer = !m.self && t.Kind() != reflect.Pointer && marshals(reflect.PointerTo(t))
	marshalings.Store(t, m)
	return m
}

// encodeByMarshal is the fallback: what json.Marshal writes, parsed.
func (enc encoder) encodeByMarshal(v any) (jsontree.Node, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return jsontree.Node{}, err
	}
	var p jsontree.Parser
	if enc.intrinsics {
		p.Strings = asIntrinsicNode
	}
	return p.Parse(string(raw))
}

// formatFloat writes a float as encoding/json does: like ES6, with
// exponents only for very small and very large magnitudes.
func formatFloat(f float64, bits int) (string, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, bits))
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b := strconv.AppendFloat(nil, f, format, -1, bits)
	if format == 'e' {
		// e-09 becomes e-9.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return string(b), nil
}

// validUTF8 replaces every byte of invalid UTF-8 with U+FFFD, as marshalling
// and parsing a string again does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r) // utf8.RuneError for an invalid byte
		i += size
	}
	return b.String()
}

// jsonField is a struct field as encoding/json writes it.
type jsonField struct {
	name      string
	index     int
	omitEmpty bool
}

// structEncoding is how encoding/json writes a struct type: its fields,
// or fallback when the type uses what encodeTree leaves to json.Marshal
// (embedded fields, tag options other than omitempty, names used twice).
type structEncoding struct {
	fields   []jsonField
	fallback bool
}

var structEncodings sync.Map // reflect.Type -> *structEncoding

func structEncodingOf(t reflect.Type) *structEncoding {
	if e, ok := structEncodings.Load(t); ok {
		return e.(*structEncoding)
	}
	e := &structEncoding{}
	seen := map[string]bool{}
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			e.fallback = true
			break
		}
		tag := sf.Tag.Get("json")
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if !isValidTag(name) {
			name = sf.Name
		}
		if opts != "" && opts != "omitempty" || seen[name] {
			e.fallback = true
			break
		}
		seen[name] = true
		e.fields = append(e.fields, jsonField{name: name, index: i, omitEmpty: opts == "omitempty"})
	}
	// In the order the members of an object node keep.
	slices.SortFunc(e.fields, func(a, b jsonField) int { return strings.Compare(a.name, b.name) })
	structEncodings.Store(t, e)
	return e
}

// isValidTag is encoding/json's test of a tag name.
func isValidTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

func (enc encoder) encodeStruct(v reflect.Value) (jsontree.Node, error) {
	e := structEncodingOf(v.Type())
	if e.fallback {
		if v.CanAddr() {
			return enc.encodeByMarshal(v.Addr().Interface())
		}
		return enc.encodeByMarshal(v.Interface())
	}
	members := make([]jsontree.Member, 0, len(e.fields))
	for _, f := range e.fields {
		fv := v.Field(f.index)
		if f.omitEmpty && isEmptyValue(fv) {
			continue
		}
		val, err := enc.encodeValue(fv)
		if err != nil {
			return jsontree.Node{}, err
		}
		members = append(members, jsontree.Member{Key: f.name, Value: val})
	}
	return jsontree.Node{Kind: jsontree.Object, Members: members}, nil
}

// isEmptyValue is encoding/json's omitempty test.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
