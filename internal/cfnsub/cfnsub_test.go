package cfnsub

import "testing"

func TestExpand(t *testing.T) {
	angle := func(name string) string { return "<" + name + ">" }
	for _, c := range []struct{ in, want string }{
		{"arn:${AWS::Partition}:s3:::x", "arn:<AWS::Partition>:s3:::x"},
		{"${B.Arn}/${!Literal}/*", "<B.Arn>/${Literal}/*"},
		{"no variables", "no variables"},
		{"unterminated ${AWS::Region", "unterminated ${AWS::Region"},
		{"${a}${b}", "<a><b>"},
		{"${}", "<>"},
	} {
		if got := Expand(c.in, angle); got != c.want {
			t.Errorf("Expand(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
