package cfntest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Server is the fake: an HTTP server that answers CloudFormation, S3,
// CloudWatch, Elastic Load Balancing v2 and STS requests from the real SDK
// clients, with all state in memory.
type Server struct {
	// URL is the base URL of the server, for AWS_ENDPOINT_URL.
	URL string

	cfg  config
	http *httptest.Server

	mu          sync.Mutex
	seq         int
	requests    int
	stacks      []*stack                  // every stack ever created, deleted ones included
	byName      map[string]*stack         // active stacks by region + "/" + name
	changeSets  map[string]*changeSet     // by ARN
	objects     map[string][]byte         // S3 objects by bucket + "/" + key
	alarms      map[string]string         // CloudWatch alarm name → ARN
	alarmStates map[string]alarmState     // CloudWatch alarm name → state, when not OK
	alarmWhen   map[string]alarmCondition // alarms that fire when a parameter takes a value
	health      map[string]TargetHealth   // target group health scripts by stack/logicalID
	targetPolls map[string]int            // DescribeTargetHealth answers per instance ID
	fleets      map[string]fleetLaunch    // Auto Scaling groups by stack ID + "/" + logical ID
	identities  map[string]identity       // who each access key is (anyKey: every other key)
	calls       map[string]int            // API calls by action, throttled ones included
	faults      faults
	changed     chan struct{} // closed and replaced on every state change

	closed chan struct{}
	jobs   sync.WaitGroup
}

// NewServer starts a fake on a free 127.0.0.1 port (or the listener of
// WithListener). Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		cfg:         config{pageSize: 4, stepDelay: 2 * time.Millisecond},
		byName:      map[string]*stack{},
		changeSets:  map[string]*changeSet{},
		objects:     map[string][]byte{},
		alarms:      map[string]string{},
		alarmStates: map[string]alarmState{},
		alarmWhen:   map[string]alarmCondition{},
		health:      map[string]TargetHealth{},
		targetPolls: map[string]int{},
		fleets:      map[string]fleetLaunch{},
		identities:  map[string]identity{anyKey: {account: defaultAccount}},
		calls:       map[string]int{},
		faults:      newFaults(),
		changed:     make(chan struct{}),
		closed:      make(chan struct{}),
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	if s.cfg.account != "" {
		if !accountPattern.MatchString(s.cfg.account) {
			panic("cfntest: WithAccount(" + s.cfg.account + "): an account ID is 12 digits")
		}
		s.identities[anyKey] = identity{account: s.cfg.account}
	}
	for _, name := range s.cfg.alarms {
		s.alarms[name] = alarmARN("us-east-1", s.accountOf(anyKey), name)
	}
	s.http = httptest.NewUnstartedServer(s)
	if s.cfg.listener != nil {
		s.http.Listener.Close()
		s.http.Listener = s.cfg.listener
	}
	s.http.Start()
	s.URL = s.http.URL
	return s
}

// Close stops the server and every asynchronous job; operations in
// progress stay in progress forever, like a stack whose watcher quit.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	s.mu.Unlock()
	s.http.CloseClientConnections()
	s.http.Close()
	s.jobs.Wait()
}

// Env is the environment that points the AWS SDK (and so phasec) at the
// fake: endpoint, dummy credentials, and no instance metadata look-ups.
// The region is left to the caller, as phasec takes it from each stack.
func (s *Server) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL=" + s.URL,
		"AWS_ACCESS_KEY_ID=fake",
		"AWS_SECRET_ACCESS_KEY=fake",
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// Calls reports how many API calls of action (for example
// "ExecuteChangeSet", "PutObject", "DescribeAlarms") the fake has
// answered, throttled ones included.
func (s *Server) Calls(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[action]
}

// ServeHTTP routes a request to the API it speaks: the CloudFormation,
// Elastic Load Balancing v2 and STS query protocol on POST /, CloudWatch's
// RPCv2 CBOR protocol, S3 path-style object requests, or the
// fault-injection control endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/_fake/"):
		s.control(w, r)
	case r.Method == http.MethodPost && strings.HasPrefix(p, cloudWatchPrefix):
		s.cloudWatch(w, r)
	case r.Method == http.MethodPost && p == "/":
		// CloudFormation, Elastic Load Balancing v2 and STS all speak the
		// query protocol on POST /; the API version tells them apart.
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		switch r.PostForm.Get("Version") {
		case elbv2Version:
			s.elbv2(w, r)
		case stsVersion:
			s.sts(w, r)
		default:
			s.cloudFormation(w, r)
		}
	case len(p) > 1:
		s.s3(w, r)
	default:
		http.Error(w, "cfntest: no API at "+r.Method+" "+p, http.StatusNotFound)
	}
}

// handler answers one CloudFormation action, under s.mu.
type handler func(s *Server, q *query, w *xmlWriter) *apiError

// handlers are the CloudFormation actions the fake implements.
var handlers = map[string]handler{
	"CreateChangeSet":             (*Server).createChangeSet,
	"DescribeChangeSet":           (*Server).describeChangeSet,
	"ExecuteChangeSet":            (*Server).executeChangeSet,
	"DeleteChangeSet":             (*Server).deleteChangeSet,
	"ListChangeSets":              (*Server).listChangeSets,
	"DescribeStacks":              (*Server).describeStacks,
	"DescribeStackEvents":         (*Server).describeStackEvents,
	"DescribeStackResources":      (*Server).describeStackResources,
	"ListStackResources":          (*Server).listStackResources,
	"UpdateTerminationProtection": (*Server).updateTerminationProtection,
	"GetTemplate":                 (*Server).getTemplate,
	"DeleteStack":                 (*Server).deleteStack,
}

func (s *Server) cloudFormation(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	action := r.PostForm.Get("Action")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[action]++
	reqID := s.requestID()
	if s.throttled() {
		writeQueryError(w, &apiError{status: http.StatusBadRequest, code: "Throttling", message: "Rate exceeded"}, reqID)
		return
	}
	h, ok := handlers[action]
	if !ok {
		writeQueryError(w, &apiError{status: http.StatusBadRequest, code: "InvalidAction",
			message: fmt.Sprintf("Could not find operation %s for version 2010-05-15", action)}, reqID)
		return
	}
	var out xmlWriter
	q := &query{form: r.PostForm, region: regionOf(r), account: s.accountOf(accessKeyOf(r))}
	if err := h(s, q, &out); err != nil {
		writeQueryError(w, err, reqID)
		return
	}
	writeResult(w, action, reqID, &out)
	s.notify()
}

// throttled consumes one injected throttle, if any is left.
func (s *Server) throttled() bool {
	if s.faults.throttle > 0 {
		s.faults.throttle--
		return true
	}
	return false
}

func (s *Server) requestID() string {
	s.requests++
	return fmt.Sprintf("00000000-0000-4000-a000-%012d", s.requests)
}

var credentialScope = regexp.MustCompile(`Credential=[^/]+/\d{8}/([a-z0-9-]+)/`)

// regionOf reads the region from the SigV4 credential scope, as AWS
// routes by endpoint; unsigned requests are us-east-1.
func regionOf(r *http.Request) string {
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		return m[1]
	}
	return "us-east-1"
}

// notify wakes everything waiting for a state change. Callers hold s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}
