package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// maxDelay bounds the artificial latency /work will add.
const maxDelay = 10 * time.Second

// newMux builds the routes. random returns a number in [0, 1); it is a
// parameter so tests can decide which /work requests fail.
func newMux(random func() float64) *http.ServeMux {
	mux := http.NewServeMux()

	// The load balancer's health check (the schema's default path).
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})

	// A wildcard route: recorded as "GET /items/{id}", whatever the id.
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"id": r.PathValue("id")})
	})

	// /work?fail_rate=0.3&delay_ms=200 fails with a 500 for about 30% of
	// requests and takes 200 ms, to exercise the error-rate and latency
	// alarms. Bad parameters are a 400.
	mux.HandleFunc("GET /work", func(w http.ResponseWriter, r *http.Request) {
		failRate, err := queryFloat(r, "fail_rate", 0)
		if err != nil || !(failRate >= 0 && failRate <= 1) { // also rejects NaN
			http.Error(w, "fail_rate must be a number from 0 to 1", http.StatusBadRequest)
			return
		}
		delayMs, err := queryFloat(r, "delay_ms", 0)
		if err != nil || !(delayMs >= 0 && delayMs <= float64(maxDelay.Milliseconds())) {
			http.Error(w, fmt.Sprintf("delay_ms must be a number from 0 to %d", maxDelay.Milliseconds()), http.StatusBadRequest)
			return
		}
		if delay := time.Duration(delayMs * float64(time.Millisecond)); delay > 0 {
			t := time.NewTimer(delay)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return // the client left; nothing to answer
			}
		}
		if random() < failRate {
			http.Error(w, "simulated failure", http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "done")
	})
	return mux
}

// queryFloat parses a query parameter, returning def when it is absent.
func queryFloat(r *http.Request, name string, def float64) (float64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	return strconv.ParseFloat(s, 64)
}
