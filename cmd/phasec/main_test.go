package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the real entry point in-process as the
// "phasec" command.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"phasec": func() { os.Exit(Main()) },
	})
}

// TestScripts runs every scenario in testdata/script: each is a user's
// session with the exact output it must produce. Set
// PHASEC_UPDATE_SCRIPTS=1 to rewrite their expected output.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("PHASEC_UPDATE_SCRIPTS") == "1",
		Setup:               setupFake, // fake_test.go: a CloudFormation fake for plan and apply
		Cmds:                fakeCmds,
	})
}
