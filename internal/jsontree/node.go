// Package jsontree is a JSON document as phasec's renderer and checkers
// need it: parsed exactly as encoding/json parses (the same documents
// accepted, strings decoded the same way, numbers kept as written), with
// object members sorted by key, and written back in phasec's canonical
// form. It exists because encoding/json's map[string]any tree, and its
// decoder, were most of the time phasec took to render and check a
// template.
package jsontree

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// Kind is the type of a Node.
type Kind uint8

// The kinds of JSON value.
const (
	Null Kind = iota
	False
	True
	Number
	String
	Array
	Object
)

// Node is one value of a JSON document. Numbers keep their literal text;
// an object keeps its members sorted by key, the canonical order, and a
// duplicate key keeps its last value, as decoding into a Go map would.
type Node struct {
	Kind Kind
	// Text is a string's decoded value or a number's literal.
	Text    string
	Elems   []Node
	Members []Member
}

// Member is one key and value of an object.
type Member struct {
	Key   string
	Value Node
}

// Member returns the value of key in an object node, if there is one.
func (n *Node) Member(key string) (*Node, bool) {
	i := sort.Search(len(n.Members), func(i int) bool { return n.Members[i].Key >= key })
	if i < len(n.Members) && n.Members[i].Key == key {
		return &n.Members[i].Value, true
	}
	return nil, false
}

// SortMembers orders members by key and keeps only the last of equal keys,
// in place.
func SortMembers(ms []Member) []Member {
	if len(ms) < 2 {
		return ms
	}
	slices.SortStableFunc(ms, func(a, b Member) int { return strings.Compare(a.Key, b.Key) })
	out := ms[:0]
	for i := range ms {
		if i+1 < len(ms) && ms[i+1].Key == ms[i].Key {
			continue
		}
		out = append(out, ms[i])
	}
	return out
}

// Value converts n to what encoding/json's Decoder, with UseNumber,
// decodes a document into: map[string]any, []any, json.Number, string,
// bool and nil.
func (n *Node) Value() any {
	switch n.Kind {
	case Null:
		return nil
	case False:
		return false
	case True:
		return true
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Array:
		a := make([]any, len(n.Elems))
		for i := range n.Elems {
			a[i] = n.Elems[i].Value()
		}
		return a
	}
	m := make(map[string]any, len(n.Members))
	for i := range n.Members {
		m[n.Members[i].Key] = n.Members[i].Value.Value()
	}
	return m
}

// Decode decodes a JSON document, which must hold one value and nothing
// else but white space, as a json.Decoder with UseNumber would, and faster.
func Decode(data []byte) (any, error) {
	var p Parser
	n, err := p.Parse(string(data))
	if err != nil {
		return nil, err
	}
	return n.Value(), nil
}
