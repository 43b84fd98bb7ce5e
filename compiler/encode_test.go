package compiler

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/internal/jsontree"
)

// renderByMarshal is Render as it was before encodeTree, the reference
// encodeTree is held to: json.Marshal, then parse.
func renderByMarshal(v any) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	p := jsontree.Parser{Strings: asIntrinsicNode}
	tree, err := p.Parse(string(raw))
	if err != nil {
		return "", err
	}
	return canonicalText(&tree), nil
}

func renderByEncodeTree(v any) (string, error) {
	tree, err := encodeTree(v)
	if err != nil {
		return "", err
	}
	return canonicalText(&tree), nil
}

func canonicalText(n *jsontree.Node) string {
	unwrapListParams(n)
	var b bytes.Buffer
	jsontree.Write(&b, n)
	return b.String()
}

// TestEncodeTreeMatchesMarshal renders every stack that every spec
// directory of the corpus compiles to both ways.
func TestEncodeTreeMatchesMarshal(t *testing.T) {
	stacks := 0
	for name, fsys := range specCorpus(t) {
		spec, err := LoadFS(fsys, name)
		if err != nil {
			continue
		}
		for _, s := range Compile(spec) {
			stacks++
			want, err := renderByMarshal(s.Template)
			if err != nil {
				t.Fatalf("%s: %v", s.Name, err)
			}
			got, err := renderByEncodeTree(s.Template)
			if err != nil {
				t.Fatalf("%s: %v", s.Name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (%s): encodeTree differs from json.Marshal (-want +got):\n%s", s.Name, name, diff)
			}
		}
	}
	if stacks < 50 {
		t.Fatalf("only %d stacks compiled; the corpus is broken", stacks)
	}
}

// TestEncodeEveryResourceType encodes one value of every resource type
// goformation knows, its properties and attributes filled in, plain and
// wrapped by withAttributes, both ways.
func TestEncodeEveryResourceType(t *testing.T) {
	all := cloudformation.AllResources()
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r := reflect.New(reflect.TypeOf(all[name]).Elem())
		fill(r.Elem(), 3)
		res := r.Interface().(cloudformation.Resource)
		for _, v := range []any{
			res,
			withAttributes{Resource: res,
				attrs: map[string]any{"UpdatePolicy": map[string]any{"Count": 0}, "Condition": cloudformation.Ref("X")},
				props: map[string]any{"Weight": cloudformation.Ref("W"), "Extra": []any{1.5, 1 << 60}},
			},
		} {
			want, err := renderByMarshal(v)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := renderByEncodeTree(v)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if want != got {
				t.Errorf("%s (%T): encodeTree differs from json.Marshal (-want +got):\n%s", name, v, cmp.Diff(want, got))
			}
		}
	}
}

// fill sets every exported field of a struct to something non-empty:
// intrinsics in strings, numbers that a float64 cannot hold exactly, a
// nested value for every pointer, slice, map and interface, depth levels
// down.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth)
			}
		}
	case reflect.Pointer:
		if depth == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth-1)
	case reflect.Slice:
		if depth == 0 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth-1)
	case reflect.Map:
		if depth == 0 || v.Type().Key().Kind() != reflect.String {
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, depth-1)
		v.SetMapIndex(reflect.ValueOf("k<&>").Convert(v.Type().Key()), e)
	case reflect.Interface:
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(map[string]any{
				"Fn":  cloudformation.Join("", []string{"a", cloudformation.Ref("B")}),
				"Sel": cloudformation.Select(1<<60+1, []string{"a"}),
				"n":   0.000001,
			}))
		}
	case reflect.String:
		v.SetString(cloudformation.Sub("${AWS::Region}-<x>"))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(1<<60 + 1)
	case reflect.Float64, reflect.Float32:
		v.SetFloat(1e21)
	}
}
