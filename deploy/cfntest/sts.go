package cfntest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// stsVersion is the API version the STS client sends with every
// query-protocol request; like Elastic Load Balancing v2, STS shares
// POST / with CloudFormation and is told apart by it.
const stsVersion = "2011-06-15"

// stsNamespace is the XML namespace of STS responses.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// defaultAccount is the account of every access key when no Option or
// control call says otherwise; the shipped scripts' ARNs show it.
const defaultAccount = "123456789012"

// accountPattern is what an AWS account ID looks like.
var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// identity is who a set of credentials is, as STS tells it: an account,
// or a failure that GetCallerIdentity answers instead.
type identity struct {
	account string
	failure string // an stsFailures code; empty when STS answers
}

// anyKey is the identities key of every access key without one of its
// own.
const anyKey = ""

// stsFailures are the errors GetCallerIdentity can answer with, with the
// messages AWS gives. It needs no permission, so IAM policies cannot deny
// it; bad or expired credentials can fail it, and so can a VPC endpoint
// policy.
var stsFailures = map[string]string{
	"InvalidClientTokenId": "The security token included in the request is invalid.",
	"ExpiredToken":         "The security token included in the request is expired",
	"AccessDenied":         "User: %s is not authorized to perform: sts:GetCallerIdentity because no VPC endpoint policy allows the sts:GetCallerIdentity action",
}

var accessKeyPattern = regexp.MustCompile(`Credential=([^/,\s]+)/`)

// accessKeyOf reads the access key ID from the SigV4 Authorization
// header; an unsigned request has none.
func accessKeyOf(r *http.Request) string {
	if m := accessKeyPattern.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		return m[1]
	}
	return ""
}

// identityOf is the identity of an access key. Callers hold s.mu.
func (s *Server) identityOf(key string) identity {
	if id, ok := s.identities[key]; ok {
		return id
	}
	return s.identities[anyKey]
}

// accountOf is the account an access key belongs to, which owns what its
// requests create. Callers hold s.mu.
func (s *Server) accountOf(key string) string {
	return s.identityOf(key).account
}

// callerARN is the ARN GetCallerIdentity answers: an IAM user named after
// the access key, as long-term keys of an IAM user are.
func callerARN(account, key string) string {
	if key == "" {
		key = "anonymous"
	}
	return "arn:aws:iam::" + account + ":user/" + key
}

// callerUserID is an IAM user's unique ID: AIDA and 17 characters,
// derived from the ARN so that it is stable.
func callerUserID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return "AIDA" + strings.ToUpper(hex.EncodeToString(sum[:]))[:17]
}

// SetCaller makes the access key key belong to account: GetCallerIdentity
// answers it, and the stacks, change sets and alarms its requests create
// carry it in their ARNs. An empty key sets the account of every key that
// has none of its own (the default is 123456789012, or WithAccount's). It
// also lifts a FailCallerIdentity of the key.
//
// The fake does not keep accounts apart: every caller sees every stack.
// Only who the caller is, and the ARNs, follow the account.
func (s *Server) SetCaller(key, account string) error {
	if !accountPattern.MatchString(account) {
		return fmt.Errorf("account %q: want 12 digits", account)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.identities[key] = identity{account: account}
	return nil
}

// FailCallerIdentity makes GetCallerIdentity with the access key key
// (every key without an identity of its own when empty) fail with code:
// InvalidClientTokenId or ExpiredToken (HTTP 403, as bad or expired
// credentials do) or AccessDenied (as a VPC endpoint policy does). Other
// APIs still answer; SetCaller lifts it.
func (s *Server) FailCallerIdentity(key, code string) error {
	if _, ok := stsFailures[code]; !ok {
		return fmt.Errorf("STS failure %q: want InvalidClientTokenId, ExpiredToken or AccessDenied", code)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.identityOf(key)
	id.failure = code
	s.identities[key] = id
	return nil
}

// sts serves GetCallerIdentity, the one STS call phasec makes: a stack
// pinned to an account is deployed only with that account's credentials.
// The request form is already parsed.
func (s *Server) sts(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	reqID, ok := s.acceptSingleAction(w, r, stsNamespace, stsVersion, "GetCallerIdentity")
	if !ok {
		return
	}
	key := accessKeyOf(r)
	id := s.identityOf(key)
	arn := callerARN(id.account, key)
	if id.failure != "" {
		msg := stsFailures[id.failure]
		if strings.Contains(msg, "%s") {
			msg = fmt.Sprintf(msg, arn)
		}
		writeErrorNS(w, stsNamespace, &apiError{status: http.StatusForbidden, code: id.failure, message: msg}, reqID)
		return
	}
	var out xmlWriter
	out.text("Arn", arn)
	out.text("UserId", callerUserID(arn))
	out.text("Account", id.account)
	writeResultNS(w, stsNamespace, "GetCallerIdentity", reqID, &out)
}
