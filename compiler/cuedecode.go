package compiler

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"cuelang.org/go/cue"
)

// decodeInto fills x, a pointer, from the checked value v. It does what
// cue.Value.Decode does for the model's types (structs, string-keyed maps,
// slices, pointers, strings, numbers and booleans), with one difference in
// how it gets there: Decode lists the fields of every struct with
// Value.Fields, which sorts them topologically first, and that sorting was
// a third of load time. The model's structs name their fields, so
// decodeInto looks each one up instead; only maps, whose keys are the
// user's, are listed. TestDecodeMatchesCUE holds the two to the same
// result.
func decodeInto(v cue.Value, x any) error {
	return decodeValue(reflect.ValueOf(x).Elem(), v)
}

// decodeValue decodes v into x. Every call on a cue.Value sets up an
// evaluation context of its own, so decodeValue makes as few as it can: a scalar's accessor (Int64,
// String...) already fails on an error or a value that is not concrete,
// and Err is only asked where nothing else would fail.
func decodeValue(x reflect.Value, v cue.Value) error {
	v, _ = v.Default()
	switch x.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNull() {
			x.SetZero()
			return nil
		}
		if !v.IsConcrete() {
			if err := v.Err(); err != nil && !cue.IsIncomplete(err) {
				return err
			}
			x.SetZero()
			return nil
		}
	case reflect.Struct:
		if err := v.Err(); err != nil {
			return err
		}
	}
	return decodeConcrete(x, v)
}

// decodeConcrete decodes v, whose default decodeValue has taken and which
// is not null where x could be nil.
func decodeConcrete(x reflect.Value, v cue.Value) error {
	switch x.Kind() {
	case reflect.Pointer:
		if x.IsNil() {
			x.Set(reflect.New(x.Type().Elem()))
		}
		switch x.Elem().Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Struct:
			return decodeValue(x.Elem(), v)
		}
		return decodeConcrete(x.Elem(), v)
	case reflect.Bool:
		b, err := v.Bool()
		x.SetBool(b)
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := v.Int64()
		if err != nil {
			return err
		}
		if x.OverflowInt(i) {
			return fmt.Errorf("%s: integer %d overflows %s", v.Path(), i, x.Kind())
		}
		x.SetInt(i)
	case reflect.Float32, reflect.Float64:
		f, err := v.Float64()
		if err != nil {
			return err
		}
		if x.OverflowFloat(f) {
			return fmt.Errorf("%s: float %g overflows %s", v.Path(), f, x.Kind())
		}
		x.SetFloat(f)
	case reflect.String:
		s, err := v.String()
		x.SetString(s)
		return err
	case reflect.Slice:
		return decodeSlice(x, v)
	case reflect.Struct:
		return decodeStruct(x, v)
	case reflect.Map:
		return decodeMap(x, v)
	default:
		return fmt.Errorf("%s: cannot decode into %s", v.Path(), x.Type())
	}
	return nil
}

func decodeSlice(x reflect.Value, v cue.Value) error {
	list, err := v.List()
	if err != nil {
		return err
	}
	var elems []cue.Value
	for list.Next() {
		elems = append(elems, list.Value())
	}
	// Like Decode, an empty list gives an empty, non-nil slice.
	x.Set(reflect.MakeSlice(x.Type(), len(elems), len(elems)))
	for i, e := range elems {
		if err := decodeValue(x.Index(i), e); err != nil {
			return err
		}
	}
	return nil
}

func decodeMap(x reflect.Value, v cue.Value) error {
	if x.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("%s: cannot decode into %s", v.Path(), x.Type())
	}
	iter, err := v.Fields()
	if err != nil {
		return err
	}
	if x.IsNil() {
		x.Set(reflect.MakeMap(x.Type()))
	}
	for iter.Next() {
		elem := reflect.New(x.Type().Elem()).Elem()
		if err := decodeValue(elem, iter.Value()); err != nil {
			return err
		}
		x.SetMapIndex(reflect.ValueOf(iter.Selector().Unquoted()).Convert(x.Type().Key()), elem)
	}
	return nil
}

func decodeStruct(x reflect.Value, v cue.Value) error {
	for _, f := range structFieldsOf(x.Type()) {
		// LookupPath finds regular fields only, as Value.Fields lists
		// them: an optional field the spec left out is not found.
		fv := v.LookupPath(f.path)
		if !fv.Exists() {
			continue
		}
		if err := decodeValue(x.FieldByIndex(f.index), fv); err != nil {
			return err
		}
	}
	return nil
}

// goField is a field of a model struct and the CUE field it decodes from.
type goField struct {
	path  cue.Path
	index []int
}

var structFieldsCache sync.Map // reflect.Type -> []goField

// structFieldsOf lists the fields of struct type t by their JSON names,
// the names Decode matches, with the fields of an embedded struct
// promoted. The model has no field without a JSON name and no name twice;
// a struct that did would be a mistake in the model, so it panics.
func structFieldsOf(t reflect.Type) []goField {
	if fs, ok := structFieldsCache.Load(t); ok {
		return fs.([]goField)
	}
	var fields []goField
	seen := map[string]bool{}
	var collect func(t reflect.Type, index []int)
	collect = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			tag := sf.Tag.Get("json")
			if sf.Anonymous && tag == "" && sf.Type.Kind() == reflect.Struct {
				collect(sf.Type, idx)
				continue
			}
			if !sf.IsExported() || tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" || seen[name] {
				panic(fmt.Sprintf("compiler: %s.%s needs a JSON name of its own to be decoded", t, sf.Name))
			}
			seen[name] = true
			fields = append(fields, goField{path: cue.MakePath(cue.Str(name)), index: idx})
		}
	}
	collect(t, nil)
	structFieldsCache.Store(t, fields)
	return fields
}
