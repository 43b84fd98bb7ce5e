// Command cfnfake runs the CloudFormation fake of package cfntest as a
// process, for trying phasec plan and apply by hand, recording sessions
// for the documentation, or scripts in other languages. It prints the
// environment that points the AWS SDK at it, then serves until
// interrupted:
//
//	cfnfake -env fake.env &
//	set -a; . ./fake.env; set +a
//	phasec plan --specs specs -o plan.json
//
// Faults are injected through its control endpoint; see the cfntest
// package documentation.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/phasec/phasec/deploy/cfntest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback only, as the fake has no authentication)")
	envFile := flag.String("env", "", "also write the environment to this file, as KEY=VALUE lines")
	step := flag.Duration("step", 20*time.Millisecond, "real time between two asynchronous state changes")
	pageSize := flag.Int("page-size", 4, "items per page of paginated answers")
	alarms := flag.String("alarms", "", "comma-separated CloudWatch alarms that exist from the start")
	account := flag.String("account", "123456789012", "the AWS account of the credentials: what STS GetCallerIdentity answers, and the account in ARNs")
	flag.Parse()
	if len(*account) != 12 || strings.Trim(*account, "0123456789") != "" {
		fmt.Fprintf(os.Stderr, "cfnfake: -account %q: an account ID is 12 digits\n", *account)
		os.Exit(2)
	}

	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cfnfake:", err)
		os.Exit(1)
	}
	opts := []cfntest.Option{cfntest.WithListener(l), cfntest.WithStepDelay(*step), cfntest.WithPageSize(*pageSize), cfntest.WithAccount(*account)}
	if *alarms != "" {
		opts = append(opts, cfntest.WithAlarms(strings.Split(*alarms, ",")...))
	}
	srv := cfntest.NewServer(opts...)
	defer srv.Close()

	env := strings.Join(srv.Env(), "\n") + "\n"
	if *envFile != "" {
		if err := os.WriteFile(*envFile, []byte(env), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "cfnfake:", err)
			os.Exit(1)
		}
	}
	for _, kv := range srv.Env() {
		fmt.Println("export " + kv)
	}
	fmt.Fprintf(os.Stderr, "cfnfake: serving CloudFormation, S3, CloudWatch, Elastic Load Balancing and STS on %s; control endpoint %s/_fake/\n", srv.URL, srv.URL)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}
