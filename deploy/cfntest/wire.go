package cfntest

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// cfnNamespace is the XML namespace of every CloudFormation response.
const cfnNamespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// apiError is an AWS error response: the HTTP status, the error code the
// SDK maps to a typed error, and the message a user reads.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// validationError is CloudFormation's catch-all client error.
func validationError(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "ValidationError", message: fmt.Sprintf(format, args...)}
}

// query is one decoded query-protocol request.
type query struct {
	form   url.Values
	region string
	// account is the account of the request's credentials, which owns
	// what the request creates.
	account string
}

func (q *query) get(key string) string { return q.form.Get(key) }

func (q *query) bool(key string) bool { return q.form.Get(key) == "true" }

// list reads a query-protocol list: key.member.1, key.member.2, ...
func (q *query) list(key string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := q.form[fmt.Sprintf("%s.member.%d", key, i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

// structs reads a list of structures: key.member.N.Field.
func (q *query) structs(key string) []map[string]string {
	var out []map[string]string
	for i := 1; ; i++ {
		prefix := fmt.Sprintf("%s.member.%d.", key, i)
		m := map[string]string{}
		for k, v := range q.form {
			if strings.HasPrefix(k, prefix) {
				m[strings.TrimPrefix(k, prefix)] = v[0]
			}
		}
		if len(m) == 0 {
			return out
		}
		out = append(out, m)
	}
}

// xmlWriter builds a response body element by element, in the order the
// SDK's snapshots show.
type xmlWriter struct{ b bytes.Buffer }

func (w *xmlWriter) open(name string)  { w.b.WriteString("<" + name + ">") }
func (w *xmlWriter) close(name string) { w.b.WriteString("</" + name + ">") }

// text writes <name>v</name>, or nothing when v is empty (AWS omits
// absent members).
func (w *xmlWriter) text(name, v string) {
	if v == "" {
		return
	}
	w.open(name)
	xml.EscapeText(&w.b, []byte(v))
	w.close(name)
}

func (w *xmlWriter) bool(name string, v bool) { w.text(name, strconv.FormatBool(v)) }

func (w *xmlWriter) int(name string, v int) { w.text(name, strconv.Itoa(v)) }

func (w *xmlWriter) time(name string, t time.Time) {
	if t.IsZero() {
		return
	}
	w.text(name, t.UTC().Format("2006-01-02T15:04:05.000Z"))
}

// list writes <name><member>v</member>...</name>; an empty list is written
// as an empty element, as AWS does.
func (w *xmlWriter) list(name string, items []string) {
	w.open(name)
	for _, it := range items {
		w.text("member", it)
	}
	w.close(name)
}

// writeResult wraps a result in <ActionResponse><ActionResult>.
func writeResult(rw http.ResponseWriter, action, requestID string, body *xmlWriter) {
	rw.Header().Set("Content-Type", "text/xml")
	rw.Header().Set("X-Amzn-Requestid", requestID)
	rw.WriteHeader(http.StatusOK)
	fmt.Fprintf(rw, `<%sResponse xmlns="%s"><%sResult>`, action, cfnNamespace, action)
	rw.Write(body.b.Bytes())
	fmt.Fprintf(rw, `</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`, action, requestID, action)
}

// writeQueryError writes the query protocol's error document.
func writeQueryError(rw http.ResponseWriter, e *apiError, requestID string) {
	rw.Header().Set("Content-Type", "text/xml")
	rw.Header().Set("X-Amzn-Requestid", requestID)
	rw.WriteHeader(e.status)
	var w xmlWriter
	w.text("Type", "Sender")
	w.text("Code", e.code)
	w.text("Message", e.message)
	fmt.Fprintf(rw, `<ErrorResponse xmlns="%s"><Error>%s</Error><RequestId>%s</RequestId></ErrorResponse>`,
		cfnNamespace, w.b.String(), requestID)
}

// pageToken and parsePageToken make opaque NextTokens out of offsets.
func pageToken(kind string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.Itoa(offset)))
}

func parsePageToken(kind, token string) (int, *apiError) {
	if token == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	rest, ok := strings.CutPrefix(string(raw), kind+":")
	n, convErr := strconv.Atoi(rest)
	if err != nil || !ok || convErr != nil || n < 0 {
		return 0, validationError("Invalid NextToken")
	}
	return n, nil
}

// page cuts items [offset, offset+size) out of n and says where the next
// page starts (-1 when this is the last).
func page(n, offset, size int) (start, end, next int) {
	if offset > n {
		offset = n
	}
	end = offset + size
	if end >= n {
		return offset, n, -1
	}
	return offset, end, end
}
