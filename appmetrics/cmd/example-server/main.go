// Command example-server is a small web service instrumented with
// appmetrics, in the shape phasec deploys: it reads the environment that
// the compiler's user data writes to /etc/phasec/app.env, serves the health
// check path the load balancer probes (/health, the schema's default), and
// sends one EMF record per request to the CloudWatch agent or to stdout.
//
//	PHASEC_SERVICE=storefront PHASEC_ENVIRONMENT=dev example-server -addr :8080 -emf stdout
//	curl 'localhost:8080/work?fail_rate=0.5'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/phasec/phasec/appmetrics"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// envPort is set by the compiler's user data to the spec's application port.
const envPort = "PHASEC_PORT"

// run is main without the process globals, so tests can drive it. It
// serves until ctx ends and returns the exit code: 0 after a clean
// shutdown, 1 on a runtime error, 2 on bad flags or configuration.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("example-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defaultAddr := ":8080"
	if p := getenv(envPort); p != "" {
		defaultAddr = ":" + p
	}
	addr := fs.String("addr", defaultAddr, "listen address (default from "+envPort+")")
	emf := fs.String("emf", "stdout", "where EMF records go: stdout, or agent (the CloudWatch agent over TCP)")
	agentAddr := fs.String("agent-addr", appmetrics.DefaultAgentAddress, "the agent's EMF listener, with -emf agent")
	service := fs.String("service", getenv(appmetrics.EnvService), "service name (default from "+appmetrics.EnvService+")")
	environment := fs.String("environment", getenv(appmetrics.EnvEnvironment), "environment name (default from "+appmetrics.EnvEnvironment+")")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "example-server: unexpected arguments %q\n", fs.Args())
		return 2
	}

	cfg, err := appmetrics.ConfigFromEnv(func(name string) string {
		switch name {
		case appmetrics.EnvService:
			return *service
		case appmetrics.EnvEnvironment:
			return *environment
		}
		return getenv(name)
	})
	if err != nil {
		fmt.Fprintf(stderr, "example-server: %v\n", err)
		return 2
	}

	var out io.Writer
	switch *emf {
	case "stdout":
		out = stdout
	case "agent":
		aw, err := appmetrics.DialAgent(ctx, *agentAddr)
		if err != nil {
			fmt.Fprintf(stderr, "example-server: %v\n", err)
			return 2
		}
		defer func() {
			aw.Close()
			s := aw.Stats()
			fmt.Fprintf(stderr, "example-server: agent: %d records sent, %d dropped, %d connections\n", s.Sent, s.Dropped, s.Connects)
		}()
		out = aw
	default:
		fmt.Fprintf(stderr, "example-server: -emf %q: want stdout or agent\n", *emf)
		return 2
	}

	m, err := appmetrics.New(cfg, out)
	if err != nil {
		fmt.Fprintf(stderr, "example-server: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "example-server: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: m.Wrap(newMux(rand.Float64)), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stderr, "example-server: %s/%s listening on %s, EMF to %s\n", cfg.Service, cfg.Environment, ln.Addr(), *emf)
	return serve(ctx, srv, ln, stderr)
}

// serve runs srv until ctx ends, then lets in-flight requests finish.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, stderr io.Writer) int {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "example-server: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "example-server: shutdown: %v\n", err)
		return 1
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "example-server: %v\n", err)
		return 1
	}
	return 0
}
