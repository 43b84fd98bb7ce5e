package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	exitOK          = 0
	exitError       = 1
	exitChanges     = 2
	exitInterrupted = 130
)

// app is what every command shares: where output goes and where input
// comes from. Commands take it instead of package-level state, so tests can
// run them in-process without resetting globals.
type app struct {
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
}

// exitError lets a command choose its exit status (2 for "changes
// present", 130 for an interrupt) while still returning through RunE.
type exitCodeError struct {
	code int
	// err is printed unless it is nil (the command already said why).
	err error
}

func (e *exitCodeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitCodeError) Unwrap() error { return e.err }

// Main runs phasec with the process's arguments and returns its exit
// status. Errors are printed here, once, to stderr.
func Main() int {
	tuneGC()
	a := &app{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return a.run(ctx, os.Args[1:])
}

// run executes one command line and maps its error to an exit status.
func (a *app) run(ctx context.Context, args []string) int {
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ec *exitCodeError
	if errors.As(err, &ec) {
		if ec.err != nil {
			fmt.Fprintln(a.stderr, ec.err)
		}
		return ec.code
	}
	fmt.Fprintln(a.stderr, err)
	return exitError
}

// newRootCmd builds the command tree.
func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "phasec",
		Short: "Compile CUE service specs into reviewed CloudFormation, and deploy exactly that",
		Long: `phasec turns declarative CUE specs of web services into AWS CloudFormation
templates (one stack per service and environment), locks them as golden files
so every infrastructure change is a reviewed diff, and deploys them through
change sets.

Workflow: edit specs → phasec build → golden tests in CI → phasec plan → phasec apply`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetIn(a.stdin)
	root.AddCommand(
		newBuildCmd(a),
		newVetCmd(a),
		newDiffCmd(a),
		newPlanCmd(a), newApplyCmd(a), newRolloutCmd(a),
	)
	return root
}
