package templatecheck

import (
	"sort"
	"strings"
)

// CloudFormation rejects a template whose resources depend on each other in a circle
// ("Circular dependency between resources"), counting Ref, Fn::GetAtt, Fn::Sub and DependsOn
// alike. Each strongly connected component is reported once, with one concrete cycle through it.

// checkCycles reports every dependency cycle among resources.
func (c *checker) checkCycles() {
	for _, cycle := range findCycles(c.deps) {
		if len(cycle) == 1 {
			c.add(join("Resources", cycle[0]), checkReference, "circular dependency: %s refers to itself", cycle[0])
			continue
		}
		c.add(join("Resources", cycle[0]), checkReference, "circular dependency: %s", strings.Join(append(cycle, cycle[0]), " -> "))
	}
}

// findCycles returns one cycle per strongly connected component that has one, each starting at
// the component's alphabetically first node, in a deterministic order.
func findCycles(graph map[string]map[string]bool) [][]string {
	t := tarjan{graph: graph, index: map[string]int{}, low: map[string]int{}, on: map[string]bool{}}
	for _, n := range sortedKeys(graph) {
		if _, seen := t.index[n]; !seen {
			t.visit(n)
		}
	}
	var cycles [][]string
	for _, comp := range t.comps {
		sort.Strings(comp)
		start := comp[0]
		if len(comp) == 1 && !graph[start][start] {
			continue
		}
		cycles = append(cycles, shortestCycle(graph, start, comp))
	}
	sort.Slice(cycles, func(i, j int) bool { return cycles[i][0] < cycles[j][0] })
	return cycles
}

// tarjan finds strongly connected components (Tarjan's algorithm).
type tarjan struct {
	graph map[string]map[string]bool
	index map[string]int
	low   map[string]int
	on    map[string]bool
	stack []string
	next  int
	comps [][]string
}

// visit is the recursive step of Tarjan's algorithm.
func (t *tarjan) visit(n string) {
	t.index[n], t.low[n] = t.next, t.next
	t.next++
	t.stack = append(t.stack, n)
	t.on[n] = true
	for _, m := range sortedKeys(t.graph[n]) {
		if _, seen := t.index[m]; !seen {
			t.visit(m)
			t.low[n] = min(t.low[n], t.low[m])
		} else if t.on[m] {
			t.low[n] = min(t.low[n], t.index[m])
		}
	}
	if t.low[n] != t.index[n] {
		return
	}
	var comp []string
	for {
		m := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.on[m] = false
		comp = append(comp, m)
		if m == n {
			break
		}
	}
	t.comps = append(t.comps, comp)
}

// shortestCycle finds the shortest path from start back to start inside one component.
func shortestCycle(graph map[string]map[string]bool, start string, comp []string) []string {
	if graph[start][start] {
		return []string{start}
	}
	in := map[string]bool{}
	for _, n := range comp {
		in[n] = true
	}
	prev := map[string]string{}
	queue := []string{start}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, m := range sortedKeys(graph[n]) {
			if !in[m] {
				continue
			}
			if m == start {
				path := []string{n}
				for path[0] != start {
					path = append([]string{prev[path[0]]}, path...)
				}
				return path
			}
			if _, seen := prev[m]; !seen {
				prev[m] = n
				queue = append(queue, m)
			}
		}
	}
	return comp // unreachable for a real component; keep the members rather than nothing
}
