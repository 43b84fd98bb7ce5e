package compiler

import (
	"runtime"
	"sort"
	"sync"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
)

// specPart is one service or baseline of a spec directory: the unit that
// evaluateParts checks on its own.
type specPart struct {
	kind string // "services" or "baselines"
	name string
}

func (p specPart) path() cue.Path { return cue.MakePath(cue.Str(p.kind), cue.Str(p.name)) }

// evaluateParts checks each service and baseline against the schema on its
// own, spread over one goroutine per CPU, and decodes them into a Spec.
//
// The schema relates nothing across services or baselines (#Spec only
// maps names to #Service and #Baseline), and a reference in the user's
// files resolves within their own instance, so checking the parts one by
// one checks the same constraints as checking the whole. What the parts
// cannot see, the shape of the top level, specParts checks first. A
// cue.Context must not be used by two goroutines at once, so each
// goroutine builds the schema and the user's files in a context of its
// own; the first one reuses the caller's.
//
// ok is false when the parts do not give a checked spec: the top level is
// not plain, there is only one part, or any part has an error. The caller
// then evaluates the whole directory, which reports errors exactly as
// before; error reporting is not worth parallelising.
func evaluateParts(sources *specSources, ctx *cue.Context, data cue.Value) (spec *Spec, ok bool) {
	parts, ok := specParts(data)
	if !ok || len(parts) < 2 {
		return nil, false
	}
	workers := min(runtime.GOMAXPROCS(0), len(parts))
	decoded := make([]any, len(parts))
	failed := make([]bool, workers)
	jobs := make(chan int, len(parts))
	for i := range parts {
		jobs <- i
	}
	close(jobs)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			wctx, wdata := ctx, data
			if w > 0 {
				files, err := sources.parse()
				if err != nil {
					failed[w] = true
					return
				}
				wctx = cuecontext.New()
				if wdata, err = buildData(wctx, sources.displayDir, files); err != nil {
					failed[w] = true
					return
				}
			}
			schemaDef, err := compiledSchema(wctx)
			if err != nil {
				failed[w] = true
				return
			}
			raw, err := rawPath(schemaDef)
			if err != nil {
				failed[w] = true
				return
			}
			empty := wctx.CompileString("{}")
			for i := range jobs {
				if decoded[i], err = evaluatePart(schemaDef, raw, empty, wdata, parts[i]); err != nil {
					failed[w] = true
					return
				}
			}
		})
	}
	wg.Wait()
	for _, f := range failed {
		if f {
			return nil, false
		}
	}
	spec = &Spec{data: data}
	for _, x := range decoded {
		switch x := x.(type) {
		case *Service:
			spec.Services = append(spec.Services, orderEnvironments(x))
		case *Baseline:
			spec.Baselines = append(spec.Baselines, x)
		}
	}
	return spec, true
}

// evaluatePart unifies one part of the user's data with the schema,
// validates it and decodes it.
//
// The part is the user's data with only this service or baseline in it,
// and the schema's _raw is that too: the whole data there would be
// evaluated again with every part, which made loading quadratic in the
// number of services.
func evaluatePart(schemaDef cue.Value, raw cue.Path, empty, data cue.Value, p specPart) (any, error) {
	part := empty.FillPath(p.path(), data.LookupPath(p.path()))
	// Only the part is validated: the top level it sits in holds no other
	// part, and specParts has checked the user's top level already (a
	// baseline's part has no services, which #Spec would refuse).
	v := schemaDef.FillPath(raw, part).Unify(part).LookupPath(p.path())
	if err := v.Validate(cue.Concrete(true), cue.Final()); err != nil {
		return nil, err
	}
	var x any = &Service{}
	if p.kind == "baselines" {
		x = &Baseline{}
	}
	if err := decodeInto(v, x); err != nil {
		return nil, err
	}
	return x, nil
}

// specParts lists the services and baselines of the user's data, in that
// order and by name, if the top level is plain: only regular services and
// baselines fields (definitions and hidden fields, which #Spec allows and
// nothing reads, aside), each a struct of regular fields, with at least
// one service. Anything else is left to the whole evaluation, which checks
// the top level against #Spec and says what is wrong.
func specParts(data cue.Value) ([]specPart, bool) {
	top, ok := regularFields(data)
	if !ok {
		return nil, false
	}
	var parts []specPart
	for _, kind := range top {
		if kind != "services" && kind != "baselines" {
			return nil, false
		}
		names, ok := regularFields(data.LookupPath(cue.MakePath(cue.Str(kind))))
		if !ok {
			return nil, false
		}
		for _, name := range names {
			parts = append(parts, specPart{kind: kind, name: name})
		}
	}
	// Services first, then baselines, each in name order, as decode
	// returns them.
	sort.Slice(parts, func(i, j int) bool {
		if parts[i].kind != parts[j].kind {
			return parts[i].kind == "services"
		}
		return parts[i].name < parts[j].name
	})
	if len(parts) == 0 || parts[0].kind != "services" {
		return nil, false
	}
	return parts, true
}

// regularFields lists the labels of a struct's fields, or reports false
// if v is no struct or has an optional or required field.
func regularFields(v cue.Value) ([]string, bool) {
	if v.Kind() != cue.StructKind {
		return nil, false
	}
	iter, err := v.Fields(cue.Optional(true))
	if err != nil {
		return nil, false
	}
	var labels []string
	for iter.Next() {
		sel := iter.Selector()
		if sel.ConstraintType() != 0 || sel.LabelType() != cue.StringLabel {
			// Optional and required fields, which Validate and decoding
			// treat differently from regular ones.
			return nil, false
		}
		labels = append(labels, sel.Unquoted())
	}
	return labels, true
}

// orderEnvironments lists a decoded service's environments in name order.
func orderEnvironments(svc *Service) *Service {
	for _, env := range sortedKeys(svc.EnvByName) {
		svc.Environments = append(svc.Environments, svc.EnvByName[env])
	}
	return svc
}
