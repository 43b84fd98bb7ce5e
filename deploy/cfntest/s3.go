package cfntest

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// s3 serves path-style object requests, /<bucket>/<key>: PutObject to
// store a template, GetObject and HeadObject to read it back.
func (s *Server) s3(w http.ResponseWriter, r *http.Request) {
	bucket, key, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	action := map[string]string{http.MethodPut: "PutObject", http.MethodGet: "GetObject", http.MethodHead: "HeadObject"}[r.Method]
	s.mu.Lock()
	s.calls[action]++
	throttled := s.throttled()
	reqID := s.requestID()
	s.mu.Unlock()
	if throttled {
		writeS3Error(w, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.", reqID)
		return
	}
	if !ok || key == "" || action == "" {
		writeS3Error(w, http.StatusBadRequest, "InvalidRequest", "cfntest serves only path-style object requests", reqID)
		return
	}
	switch r.Method {
	case http.MethodPut:
		body, err := readPayload(r)
		if err != nil {
			writeS3Error(w, http.StatusBadRequest, "IncompleteBody", err.Error(), reqID)
			return
		}
		s.mu.Lock()
		s.objects[bucket+"/"+key] = body
		s.mu.Unlock()
		sum := md5.Sum(body)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.WriteHeader(http.StatusOK)
	default:
		s.mu.Lock()
		body, found := s.objects[bucket+"/"+key]
		s.mu.Unlock()
		if !found {
			writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", reqID)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			w.Write(body)
		}
	}
}

// readPayload reads an object body, decoding the aws-chunked encoding the
// SDK uses to send a trailing checksum.
func readPayload(r *http.Request) ([]byte, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") &&
		!strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		return raw, nil
	}
	var out bytes.Buffer
	br := bufio.NewReader(bytes.NewReader(raw))
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("aws-chunked: %w", err)
		}
		sizeHex, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		n, err := strconv.ParseInt(sizeHex, 16, 64)
		if err != nil {
			return nil, fmt.Errorf("aws-chunked: bad chunk size %q", sizeHex)
		}
		if n == 0 {
			return out.Bytes(), nil // trailers follow; the checksum is not verified
		}
		if _, err := io.CopyN(&out, br, n); err != nil {
			return nil, fmt.Errorf("aws-chunked: %w", err)
		}
		br.ReadString('\n')
	}
}

func writeS3Error(w http.ResponseWriter, status int, code, msg, reqID string) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("X-Amz-Request-Id", reqID)
	w.WriteHeader(status)
	var x xmlWriter
	x.text("Code", code)
	x.text("Message", msg)
	x.text("RequestId", reqID)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error>%s</Error>`, x.b.String())
}

// parseTemplateURL finds the bucket and key in the TemplateURL forms
// CloudFormation accepts: virtual-hosted https://B.s3[.R].amazonaws.com/K,
// path-style https://s3[.R].amazonaws.com/B/K, and the fake's own
// http://127.0.0.1:PORT/B/K.
func parseTemplateURL(raw string) (bucket, key string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", false
	}
	path := strings.TrimPrefix(u.Path, "/")
	host := u.Hostname()
	if i := strings.Index(host, ".s3"); i > 0 && strings.HasSuffix(host, ".amazonaws.com") {
		return host[:i], path, path != ""
	}
	bucket, key, ok = strings.Cut(path, "/")
	return bucket, key, ok && bucket != "" && key != ""
}
