package cfntest

import (
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"
)

// cloudWatchPrefix is where the RPCv2 CBOR protocol, which the CloudWatch
// client speaks since v1.75, posts operations.
const cloudWatchPrefix = "/service/GraniteServiceVersion20100801/operation/"

// cloudWatch serves DescribeAlarms, the one CloudWatch call phasec makes:
// it learns which critical alarms already exist and can be rollback
// triggers, and a blue-green rollout watches their states.
func (s *Server) cloudWatch(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.URL.Path, cloudWatchPrefix)
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[op]++
	if s.throttled() {
		writeCBORError(w, "Throttling", "Rate exceeded")
		return
	}
	if op != "DescribeAlarms" {
		writeCBORError(w, "InvalidAction", "cfntest implements only DescribeAlarms")
		return
	}
	var names []string
	if len(body) > 0 {
		v, err := cbor.Decode(body)
		in, ok := v.(cbor.Map)
		if err != nil || !ok {
			writeCBORError(w, "SerializationException", "cannot decode request")
			return
		}
		if list, ok := in["AlarmNames"].(cbor.List); ok {
			for _, n := range list {
				if str, ok := n.(cbor.String); ok {
					names = append(names, string(str))
				}
			}
		}
	}
	if len(names) == 0 {
		names = sortedKeys(s.alarms)
	}
	sort.Strings(names)
	var alarms cbor.List
	for _, n := range names {
		if arn, ok := s.alarms[n]; ok {
			state := s.alarmStateOf(n)
			alarms = append(alarms, cbor.Map{
				"AlarmName": cbor.String(n), "AlarmArn": cbor.String(arn),
				"StateValue": cbor.String(state.value), "StateReason": cbor.String(state.reason),
			})
		}
	}
	out := cbor.Map{"MetricAlarms": alarms, "CompositeAlarms": cbor.List{}}
	writeCBOR(w, http.StatusOK, out)
}

func writeCBOR(w http.ResponseWriter, status int, v cbor.Value) {
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.WriteHeader(status)
	w.Write(cbor.Encode(v))
}

// writeCBORError writes an RPCv2 error with the query-compatible header
// CloudWatch sends, so the SDK sees the same error code as over the query
// protocol.
func writeCBORError(w http.ResponseWriter, code, msg string) {
	w.Header().Set("X-Amzn-Query-Error", code+";Sender")
	writeCBOR(w, http.StatusBadRequest, cbor.Map{"__type": cbor.String(code), "message": cbor.String(msg)})
}
