// Package cfnsub reads the template strings of CloudFormation's Fn::Sub.
// The structural checks and the security rules both rewrite them (to find
// the text a value will certainly contain, to write a finding's detail the
// way cdk-nag does), and both must agree with CloudFormation on what a
// variable is.
package cfnsub

import "strings"

// Expand returns tmpl with each ${Name} variable replaced by variable(Name)
// and each ${!Literal} escape written as the literal ${Literal}. As in
// CloudFormation, a name is everything between "${" and the next "}"; an
// unterminated "${" is literal text.
func Expand(tmpl string, variable func(name string) string) string {
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		name := tmpl[i+2 : i+j]
		if literal, ok := strings.CutPrefix(name, "!"); ok {
			b.WriteString("${" + literal + "}")
		} else {
			b.WriteString(variable(name))
		}
		tmpl = tmpl[i+j+1:]
	}
}
