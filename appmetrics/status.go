package appmetrics

// statusClass maps a final status code to its DimStatusClass value. Codes
// above 599, which net/http allows, count as server errors: something on our
// side produced a response no client understands.
func statusClass(code int) string {
	switch {
	case code >= 500:
		return StatusClass5xx
	case code >= 400:
		return StatusClass4xx
	case code >= 300:
		return StatusClass3xx
	default:
		return StatusClass2xx
	}
}
