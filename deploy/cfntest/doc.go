// Package cfntest is a wire-level fake of the AWS APIs that phasec deploys
// through: the CloudFormation query protocol, S3 PutObject (for templates
// over the 51,200-byte inline limit), CloudWatch DescribeAlarms (rollback
// triggers, and the alarm states a blue-green rollout watches), Elastic
// Load Balancing v2 DescribeTargetHealth (the health of a rollout's new
// colour) and STS GetCallerIdentity (the account of the credentials,
// which a stack pinned to an account must match). There is no AWS access where phasec is developed or
// tested, so the deploy code is exercised through the real aws-sdk-go-v2
// clients pointed at this server with the standard endpoint settings
// (AWS_ENDPOINT_URL, see [Server.Env]).
//
// The fake keeps stacks, change sets, events and objects in memory and
// moves them through CloudFormation's asynchronous states on a goroutine,
// one step every [WithStepDelay]: change sets go CREATE_PENDING →
// CREATE_IN_PROGRESS → CREATE_COMPLETE (or FAILED when nothing changes),
// executions emit per-resource events and end in CREATE_COMPLETE,
// UPDATE_COMPLETE or, with an injected failure, a full rollback. Event
// timestamps come from a logical clock per stack (one second per step,
// starting at 2026-01-01T00:00:00Z), so output that shows them is
// deterministic however fast the host is.
//
// Change sets list their Changes by diffing the old and new templates
// resource by resource, with a small table of properties whose change
// replaces the resource (see replacement.go). UsePreviousTemplate makes a
// parameter-only change set: the resources whose properties refer to a
// changed parameter are Modify, with ChangeSource ParameterReference. A
// change of the stack's tags or parameter values alone is an update too.
//
// # Target health and alarm states
//
// The targets of a target group are the instances of the stack's Auto
// Scaling groups whose TargetGroupARNs refer to it, as many as each
// group's DesiredCapacity (else MinSize) under the deployed parameters;
// an instance's ID derives from what it runs, so a new release brings new
// instances. Each new target answers "initial" for its first polls, then
// "healthy" unless scripted otherwise ([Server.SetTargetHealth]). Alarms
// are OK until set ([Server.SetAlarmState]) or until a condition on a
// stack parameter fires them ([Server.AlarmWhen]).
//
// # Accounts
//
// Every access key belongs to account 123456789012 unless [WithAccount]
// names another, or [Server.SetCaller] gives a key an account of its own
// (as another profile's credentials have). GetCallerIdentity answers the
// account of the request's access key, with an IAM user ARN named after
// the key, and what a request creates carries its account in its ARNs
// and in AWS::AccountId. The fake does not keep accounts apart otherwise:
// every caller sees every stack. [Server.FailCallerIdentity] makes
// GetCallerIdentity fail as bad or expired credentials make it fail.
//
// # Faults
//
// Faults are injected with methods ([Server.FailResource],
// [Server.Throttle], [Server.ObsoleteChangeSets], [Server.SetStackStatus],
// [Server.HoldResource]) or, for a fake running in another process such as
// cmd/cfnfake, through its control endpoint:
//
//	POST /_fake/fail?resource=ID[&stack=NAME][&reason=TEXT]
//	    the next create or update of resource ID fails with TEXT and the
//	    stack rolls back (once; then the fault is used up)
//	POST /_fake/throttle?n=N
//	    the next N API calls answer HTTP 400 Throttling "Rate exceeded"
//	    (S3: 503 SlowDown)
//	POST /_fake/obsolete?stack=NAME
//	    every available change set of the stack becomes OBSOLETE
//	POST /_fake/status?stack=NAME&status=STATUS
//	    put the stack (created empty if absent) in STATUS, for example
//	    UPDATE_IN_PROGRESS or ROLLBACK_COMPLETE
//	POST /_fake/hold?resource=ID, POST /_fake/release?resource=ID
//	    executions stop before touching resource ID until released
//	POST /_fake/alarm?name=NAME[&state=STATE][&reason=TEXT]
//	    create a CloudWatch alarm, so it can be a rollback trigger; with
//	    state, set its StateValue (OK, ALARM, INSUFFICIENT_DATA)
//	POST /_fake/alarm?name=NAME&stack=S&param=P&value=V[&reason=TEXT]
//	    the alarm goes into ALARM once stack S's parameter P equals V
//	    (for example GreenWeight=50: half the traffic on green)
//	POST /_fake/health?resource=TG[&stack=S][&after=N][&state=STATE][&reason=R][&description=TEXT]
//	    the targets of target group TG (logical ID) answer "initial" for
//	    their first N polls (default 0), then STATE: healthy (default) or
//	    unhealthy with reason R (default Target.ResponseCodeMismatch)
//	GET  /_fake/wait?stack=NAME&resource=ID&status=STATUS[&count=N][&timeout=10s]
//	    block until the stack has that event (resource defaults to the
//	    stack), or N of them
//	POST /_fake/caller?account=ACCOUNT[&key=ACCESS_KEY_ID]
//	    the access key (every key without an account of its own when
//	    absent) belongs to ACCOUNT from now on
//	POST /_fake/caller?failure=CODE[&key=ACCESS_KEY_ID]
//	    GetCallerIdentity with the key fails with CODE:
//	    InvalidClientTokenId, ExpiredToken or AccessDenied
//	GET  /_fake/calls?action=ACTION
//	    how many ACTION calls (GetCallerIdentity, CreateChangeSet, ...)
//	    the fake answered, throttled ones included
//	GET  /_fake/stacks
//	    JSON list of every stack with its status
//
// Every control call answers 200 with a short text body, or 400 with the
// reason it was refused.
package cfntest
