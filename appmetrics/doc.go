// Package appmetrics is the application side of phasec's monitoring: an
// net/http middleware that records request count, latency and errors per
// route and status class as CloudWatch Embedded Metric Format (EMF) records,
// and a writer that ships those records to the CloudWatch agent on the
// instance.
//
// The names in contract.go are shared with the phasec compiler, which alarms
// on and graphs these metrics. Changing one of them silently breaks every
// alarm and dashboard built from it, so they are exported constants that the
// compiler imports rather than strings written twice.
//
// Typical use on an instance built by phasec:
//
//	cfg, err := appmetrics.ConfigFromEnv(os.Getenv)
//	agent, err := appmetrics.DialAgent(ctx, appmetrics.DefaultAgentAddress)
//	m, err := appmetrics.New(cfg, agent)
//	http.ListenAndServe(addr, m.Wrap(mux))
//
// Wrap the http.ServeMux itself: the route is read from Request.Pattern,
// which the mux sets on the request it was given. A handler placed between
// the middleware and the mux that replaces the request (http.TimeoutHandler,
// http.StripPrefix, http.MaxBytesHandler) hides the pattern, and every
// request is then recorded as unmatched; register such handlers inside the
// mux, around individual routes, instead. The same happens with
// GODEBUG=httpmuxgo121=1, under which the mux sets no pattern at all.
package appmetrics
