// Command catalogue prints, as JSON, the cdk-nag AwsSolutions rules that each
// rule of phasec's catalogue mirrors:
//
//	{"PHS-EC2-007": ["AwsSolutions-EC23"], "PHS-IAM-002": ["AwsSolutions-IAM5"], ...}
//
// tools/cdknag (make nag) reads it to honour phasec's own suppressions,
// Metadata.phasec.suppressions, when it runs the real cdk-nag: the mapping
// lives in rules/ (each rule's Controls), so the templates need no second
// copy of every suppression in cdk-nag's format, and the node tool no copy of
// the catalogue. Rules that mirror no AwsSolutions rule are left out: their
// suppressions mean nothing to cdk-nag. The output is the same for the same
// catalogue (keys sorted, rules in the order of their Controls).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/phasec/phasec/rules"
)

func main() {
	if err := write(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "catalogue:", err)
		os.Exit(1)
	}
}

// mapping maps each rule ID to the AwsSolutions rules it mirrors.
func mapping() map[string][]string {
	out := map[string][]string{}
	for _, r := range rules.Catalogue() {
		if ids := r.AwsSolutions(); len(ids) > 0 {
			out[r.ID] = ids
		}
	}
	return out
}

// write prints the mapping as indented JSON; encoding/json sorts map keys,
// which makes the output deterministic.
func write(w io.Writer) error {
	body, err := json.MarshalIndent(mapping(), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(body, '\n'))
	return err
}
