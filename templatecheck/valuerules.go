package templatecheck

import (
	"regexp"
)

// valueRules is the curated table of single-field constraints, per resource type and property
// path. Each entry names its source. Unless noted otherwise the figures are those of the
// CloudFormation registry schemas (pattern, minLength/maxLength, minimum/maximum, enum,
// minItems/maxItems), read from the us-east-1 provider schemas vendored by cfn-lint (Dec 2025),
// and of the CloudFormation User Guide property pages. Registry patterns are unanchored JSON
// Schema patterns; here they are anchored, because the service APIs behind them match the whole
// value.
//
// To add a rule: find the property in the registry schema (or the service API reference), copy
// the constraint, and say where it came from.
var valueRules = []valueRule{
	// --- AWS::ElasticLoadBalancingV2::LoadBalancer ---
	// Name: "maximum of 32 characters, must contain only alphanumeric characters or hyphens, must
	// not begin or end with a hyphen, and must not begin with "internal-"" (User Guide).
	{typ: "AWS::ElasticLoadBalancingV2::LoadBalancer", path: "Name", maxLen: 32, check: elbName(true),
		source: "ELBv2 LoadBalancer Name, User Guide"},
	{typ: "AWS::ElasticLoadBalancingV2::LoadBalancer", path: "Scheme", enum: []string{"internal", "internet-facing"},
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::LoadBalancer", path: "Type", enum: []string{"application", "gateway", "network"},
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::LoadBalancer", path: "IpAddressType",
		enum: []string{"dualstack", "dualstack-without-public-ipv4", "ipv4"}, source: "registry schema"},

	// --- AWS::ElasticLoadBalancingV2::TargetGroup ---
	// Name: "maximum of 32 characters, must contain only alphanumeric characters or hyphens, and
	// must not begin or end with a hyphen" (User Guide).
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "Name", maxLen: 32, check: elbName(false),
		source: "ELBv2 TargetGroup Name, User Guide"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "HealthCheckIntervalSeconds", min: num(5), max: num(300), integer: true,
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "HealthCheckTimeoutSeconds", min: num(2), max: num(120), integer: true,
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "HealthyThresholdCount", min: num(2), max: num(10), integer: true,
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "UnhealthyThresholdCount", min: num(2), max: num(10), integer: true,
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "Port", min: num(1), max: num(65535), integer: true,
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "HealthCheckPort", check: healthCheckPort,
		source: "ELBv2 CreateTargetGroup: traffic-port or 1-65535"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "HealthCheckPath", minLen: 1, maxLen: 1024,
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "Protocol", enum: elbTargetProtocols, source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "HealthCheckProtocol", enum: elbTargetProtocols, source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "TargetType", enum: []string{"alb", "instance", "ip", "lambda"},
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "IpAddressType", enum: []string{"ipv4", "ipv6"},
		source: "registry schema"},
	// Matcher.HttpCode: "200", "200,202" or "200-299" (ELBv2 API Matcher).
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "Matcher.HttpCode",
		pattern: regexp.MustCompile(`^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*$`), source: "ELBv2 API Matcher"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", path: "Targets[].Port", min: num(1), max: num(65535), integer: true,
		source: "registry schema"},

	// --- AWS::ElasticLoadBalancingV2::Listener and ListenerRule ---
	{typ: "AWS::ElasticLoadBalancingV2::Listener", path: "Port", min: num(1), max: num(65535), integer: true,
		source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::Listener", path: "Protocol",
		enum: []string{"GENEVE", "HTTP", "HTTPS", "TCP", "TCP_UDP", "TLS", "UDP"}, source: "registry schema"},
	{typ: "AWS::ElasticLoadBalancingV2::ListenerRule", path: "Priority", min: num(1), max: num(50000), integer: true,
		source: "registry schema"},
	// ListenerRule condition fields (ELBv2 API RuleCondition).
	{typ: "AWS::ElasticLoadBalancingV2::ListenerRule", path: "Conditions[].Field",
		enum:   []string{"host-header", "http-header", "http-request-method", "path-pattern", "query-string", "source-ip"},
		source: "ELBv2 API RuleCondition"},
	{typ: "AWS::ElasticLoadBalancingV2::ListenerRule", path: "Conditions[].PathPatternConfig.Values", maxItems: 5,
		source: "registry schema"},

	// --- AWS::AutoScaling::AutoScalingGroup ---
	// MinSize, MaxSize and DesiredCapacity are strings in the schema with pattern ^[0-9]+$.
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "MinSize", min: num(0), integer: true, source: "registry schema ^[0-9]+$"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "MaxSize", min: num(0), integer: true, source: "registry schema ^[0-9]+$"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "DesiredCapacity", min: num(0), integer: true, source: "registry schema ^[0-9]+$"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "HealthCheckGracePeriod", min: num(0), integer: true,
		source: "EC2 Auto Scaling API: seconds, not negative"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "Cooldown", min: num(0), integer: true,
		source: "EC2 Auto Scaling API: seconds, not negative"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "HealthCheckType", enum: []string{"EBS", "EC2", "ELB", "VPC_LATTICE"},
		source: "registry schema"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "AutoScalingGroupName", minLen: 1, maxLen: 255, source: "registry schema"},
	// MaxInstanceLifetime: 0, or at least 86,400 seconds (EC2 Auto Scaling API).
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "MaxInstanceLifetime", check: maxInstanceLifetime,
		source: "EC2 Auto Scaling API"},
	// Granularity: "The only valid value is 1Minute" (EC2 Auto Scaling EnableMetricsCollection).
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "MetricsCollection[].Granularity", enum: []string{"1Minute"},
		source: "EC2 Auto Scaling EnableMetricsCollection"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "MetricsCollection[].Metrics[]", enum: asgGroupMetrics,
		source: "EC2 Auto Scaling EnableMetricsCollection"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "LaunchTemplate.LaunchTemplateName", minLen: 3, maxLen: 128,
		pattern: launchTemplateNamePattern, source: "registry schema"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", path: "TargetGroupARNs[]", minLen: 1, maxLen: 511, source: "registry schema"},

	// --- AWS::AutoScaling::ScalingPolicy ---
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "PolicyType",
		enum: []string{"PredictiveScaling", "SimpleScaling", "StepScaling", "TargetTrackingScaling"}, source: "registry schema"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "AdjustmentType",
		enum: []string{"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"}, source: "registry schema"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "MetricAggregationType", enum: []string{"Average", "Maximum", "Minimum"},
		source: "registry schema"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "Cooldown", min: num(0), integer: true,
		source: "EC2 Auto Scaling API: seconds, not negative"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "EstimatedInstanceWarmup", min: num(0), integer: true,
		source: "EC2 Auto Scaling API: seconds, not negative"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType",
		enum:   []string{"ALBRequestCountPerTarget", "ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut"},
		source: "registry schema"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "TargetTrackingConfiguration.PredefinedMetricSpecification.ResourceLabel",
		minLen: 1, maxLen: 1023, pattern: regexp.MustCompile(`^app/[^/]+/[^/]+/targetgroup/[^/]+/[^/]+$`),
		source: "registry schema; format app/<lb>/<id>/targetgroup/<tg>/<id> per EC2 Auto Scaling API"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "TargetTrackingConfiguration.CustomizedMetricSpecification.Statistic",
		enum: cloudWatchStatistics, source: "registry schema"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "TargetTrackingConfiguration.CustomizedMetricSpecification.Unit",
		enum: cloudWatchUnits, source: "CloudWatch StandardUnit"},
	// TargetValue must be positive: a zero or negative target cannot be tracked (phasec policy
	// from the brief; not found as a documented API bound).
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "TargetTrackingConfiguration.TargetValue", check: positive,
		source: "target tracking needs a positive target"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "StepAdjustments[].ScalingAdjustment", integer: true, source: "registry schema"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "ScalingAdjustment", integer: true, source: "registry schema"},
	{typ: "AWS::AutoScaling::ScalingPolicy", path: "MinAdjustmentMagnitude", min: num(1), integer: true,
		source: "EC2 Auto Scaling API"},

	// --- AWS::AutoScaling::ScheduledAction and LifecycleHook ---
	{typ: "AWS::AutoScaling::ScheduledAction", path: "MinSize", min: num(0), integer: true, source: "EC2 Auto Scaling API"},
	{typ: "AWS::AutoScaling::ScheduledAction", path: "MaxSize", min: num(0), integer: true, source: "EC2 Auto Scaling API"},
	{typ: "AWS::AutoScaling::ScheduledAction", path: "DesiredCapacity", min: num(0), integer: true, source: "EC2 Auto Scaling API"},
	{typ: "AWS::AutoScaling::ScheduledAction", path: "Recurrence", minLen: 1, maxLen: 255, source: "registry schema"},
	{typ: "AWS::AutoScaling::LifecycleHook", path: "LifecycleTransition",
		enum: []string{"autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"}, source: "registry schema"},
	{typ: "AWS::AutoScaling::LifecycleHook", path: "DefaultResult", enum: []string{"ABANDON", "CONTINUE"}, source: "registry schema"},
	{typ: "AWS::AutoScaling::LifecycleHook", path: "HeartbeatTimeout", min: num(30), max: num(7200), integer: true,
		source: "EC2 Auto Scaling PutLifecycleHook"},
	{typ: "AWS::AutoScaling::LifecycleHook", path: "LifecycleHookName", minLen: 1, maxLen: 255,
		pattern: regexp.MustCompile(`^[A-Za-z0-9\-_/]+$`), source: "registry schema"},

	// --- AWS::CloudWatch::Alarm ---
	{typ: "AWS::CloudWatch::Alarm", path: "AlarmName", minLen: 1, maxLen: 255, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "AlarmDescription", maxLen: 1024, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "ComparisonOperator", enum: alarmComparisonOperators, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "Statistic", enum: cloudWatchStatistics, source: "registry schema"},
	// ExtendedStatistic: "a value between p0.0 and p100" (User Guide); PutMetricAlarm also takes
	// trimmed/winsorized statistics (tm, tc, ts, wm), IQM, and ranges such as TM(10%:90%).
	{typ: "AWS::CloudWatch::Alarm", path: "ExtendedStatistic", check: extendedStatistic,
		source: "User Guide and CloudWatch PutMetricAlarm"},
	{typ: "AWS::CloudWatch::Alarm", path: "TreatMissingData", enum: []string{"breaching", "ignore", "missing", "notBreaching"},
		source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "EvaluateLowSampleCountPercentile", enum: []string{"evaluate", "ignore"},
		source: "CloudWatch PutMetricAlarm"},
	{typ: "AWS::CloudWatch::Alarm", path: "EvaluationPeriods", min: num(1), integer: true, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "DatapointsToAlarm", min: num(1), integer: true, source: "registry schema"},
	// Period: "Valid values are 10, 30, 60, and any multiple of 60" (User Guide).
	{typ: "AWS::CloudWatch::Alarm", path: "Period", check: alarmPeriod, source: "User Guide: 10, 30, 60 or a multiple of 60"},
	{typ: "AWS::CloudWatch::Alarm", path: "Metrics[].MetricStat.Period", check: alarmPeriod,
		source: "User Guide: 10, 30, 60 or a multiple of 60"},
	{typ: "AWS::CloudWatch::Alarm", path: "Metrics[].Period", check: alarmPeriod,
		source: "User Guide: 10, 30, 60 or a multiple of 60"},
	// "5/alarm. This quota cannot be changed." (CloudWatch service quotas).
	{typ: "AWS::CloudWatch::Alarm", path: "AlarmActions", maxItems: 5, source: "CloudWatch quota: 5 actions per alarm"},
	{typ: "AWS::CloudWatch::Alarm", path: "OKActions", maxItems: 5, source: "CloudWatch quota: 5 actions per alarm"},
	{typ: "AWS::CloudWatch::Alarm", path: "InsufficientDataActions", maxItems: 5, source: "CloudWatch quota: 5 actions per alarm"},
	// "Alarms based on metric math expressions can have up to 10 metrics" (CloudWatch quotas).
	{typ: "AWS::CloudWatch::Alarm", path: "Metrics", minItems: 1, maxItems: 10, source: "CloudWatch quota: 10 metrics per math alarm"},
	{typ: "AWS::CloudWatch::Alarm", path: "Metrics[].Id", minLen: 1, maxLen: 255,
		pattern: regexp.MustCompile(`^[a-z][A-Za-z0-9_]*$`), source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "Metrics[].Expression", minLen: 1, maxLen: 2048, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "Metrics[].MetricStat.Unit", enum: cloudWatchUnits, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "Dimensions", maxItems: 30, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "Dimensions[].Name", minLen: 1, maxLen: 255, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "Dimensions[].Value", minLen: 1, maxLen: 1024, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "MetricName", minLen: 1, maxLen: 255, source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "Namespace", minLen: 1, maxLen: 255, pattern: regexp.MustCompile(`^[^:].*$`),
		source: "registry schema"},
	{typ: "AWS::CloudWatch::Alarm", path: "Unit", enum: cloudWatchUnits, source: "registry schema"},

	// --- AWS::CloudWatch::CompositeAlarm ---
	{typ: "AWS::CloudWatch::CompositeAlarm", path: "AlarmName", minLen: 1, maxLen: 255, source: "registry schema"},
	{typ: "AWS::CloudWatch::CompositeAlarm", path: "AlarmRule", minLen: 1, maxLen: 10240, measure: true, source: "registry schema"},
	{typ: "AWS::CloudWatch::CompositeAlarm", path: "AlarmDescription", maxLen: 1024, source: "registry schema"},
	{typ: "AWS::CloudWatch::CompositeAlarm", path: "AlarmActions", maxItems: 5, source: "registry schema"},
	{typ: "AWS::CloudWatch::CompositeAlarm", path: "OKActions", maxItems: 5, source: "registry schema"},
	{typ: "AWS::CloudWatch::CompositeAlarm", path: "InsufficientDataActions", maxItems: 5, source: "registry schema"},
	{typ: "AWS::CloudWatch::CompositeAlarm", path: "ActionsSuppressorWaitPeriod", min: num(0), integer: true, source: "registry schema"},
	{typ: "AWS::CloudWatch::CompositeAlarm", path: "ActionsSuppressorExtensionPeriod", min: num(0), integer: true, source: "registry schema"},

	// --- AWS::CloudWatch::Dashboard ---
	// DashboardName: "The maximum length is 255, and valid characters are A-Z, a-z, 0-9, "-",
	// and "_"" (CloudWatch PutDashboard).
	{typ: "AWS::CloudWatch::Dashboard", path: "DashboardName", minLen: 1, maxLen: 255,
		pattern: regexp.MustCompile(`^[A-Za-z0-9_-]+$`), source: "CloudWatch PutDashboard"},
	// DashboardBody size: 1 MB, taken as 1,000,000 bytes like the template limit (figure from
	// the phasec brief; the CloudWatch quota page consulted did not state it). The body must also
	// be a JSON object once variables are substituted.
	{typ: "AWS::CloudWatch::Dashboard", path: "DashboardBody", maxLen: 1_000_000, measure: true, check: dashboardBody,
		source: "CloudWatch dashboard body: 1 MB, JSON object"},

	// --- AWS::SNS::Topic and Subscription ---
	// TopicName: "only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens,
	// and must be between 1 and 256 characters long. FIFO topic names must end with .fifo"
	// (User Guide).
	{typ: "AWS::SNS::Topic", path: "TopicName", minLen: 1, maxLen: 256,
		pattern: regexp.MustCompile(`^[A-Za-z0-9_-]+(\.fifo)?$`), source: "SNS TopicName, User Guide"},
	{typ: "AWS::SNS::Topic", path: "DisplayName", maxLen: 100, source: "SNS SetTopicAttributes: DisplayName up to 100 characters"},
	{typ: "AWS::SNS::Subscription", path: "Protocol",
		enum:   []string{"application", "email", "email-json", "firehose", "http", "https", "lambda", "sms", "sqs"},
		source: "SNS Subscribe API"},

	// --- AWS::KMS::Key and Alias ---
	{typ: "AWS::KMS::Key", path: "PendingWindowInDays", min: num(7), max: num(30), integer: true, source: "registry schema"},
	{typ: "AWS::KMS::Key", path: "RotationPeriodInDays", min: num(90), max: num(2560), integer: true, source: "registry schema"},
	{typ: "AWS::KMS::Key", path: "Description", maxLen: 8192, source: "registry schema"},
	{typ: "AWS::KMS::Key", path: "KeyUsage", enum: []string{"ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT", "SIGN_VERIFY"},
		source: "registry schema"},
	{typ: "AWS::KMS::Key", path: "KeySpec", enum: []string{"ECC_NIST_EDWARDS25519", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
		"ECC_SECG_P256K1", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87",
		"RSA_2048", "RSA_3072", "RSA_4096", "SM2", "SYMMETRIC_DEFAULT"}, source: "registry schema"},
	{typ: "AWS::KMS::Key", path: "Origin", enum: []string{"AWS_KMS", "EXTERNAL"}, source: "registry schema"},
	// AliasName: registry pattern, and "cannot begin with alias/aws/" (reserved, KMS CreateAlias).
	{typ: "AWS::KMS::Alias", path: "AliasName", minLen: 1, maxLen: 256, pattern: regexp.MustCompile(`^alias/[a-zA-Z0-9:/_-]+$`),
		check: kmsAliasName, source: "registry schema, KMS CreateAlias"},

	// --- AWS::S3::Bucket ---
	{typ: "AWS::S3::Bucket", path: "BucketName", minLen: 3, maxLen: 63, check: s3BucketName, source: "S3 bucket naming rules"},
	{typ: "AWS::S3::Bucket", path: "VersioningConfiguration.Status", enum: []string{"Enabled", "Suspended"}, source: "registry schema"},
	{typ: "AWS::S3::Bucket", path: "LifecycleConfiguration.Rules[].Status", enum: []string{"Disabled", "Enabled"}, source: "registry schema"},
	{typ: "AWS::S3::Bucket", path: "LifecycleConfiguration.Rules[].Id", maxLen: 255, source: "registry schema"},
	{typ: "AWS::S3::Bucket", path: "LifecycleConfiguration.Rules[].ExpirationInDays", min: num(1), integer: true,
		source: "S3 lifecycle Expiration Days: positive integer"},
	{typ: "AWS::S3::Bucket", path: "LifecycleConfiguration.Rules[].AbortIncompleteMultipartUpload.DaysAfterInitiation",
		min: num(0), integer: true, source: "registry schema"},
	{typ: "AWS::S3::Bucket", path: "OwnershipControls.Rules[].ObjectOwnership",
		enum: []string{"BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"}, source: "registry schema"},
	{typ: "AWS::S3::Bucket", path: "BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.SSEAlgorithm",
		enum: []string{"AES256", "aws:kms", "aws:kms:dsse"}, source: "S3 ServerSideEncryptionByDefault"},

	// --- AWS::IAM::Role, InstanceProfile, ManagedPolicy, Policy ---
	{typ: "AWS::IAM::Role", path: "RoleName", minLen: 1, maxLen: 64, pattern: iamNamePattern, source: "registry schema"},
	{typ: "AWS::IAM::Role", path: "Path", minLen: 1, maxLen: 512, pattern: iamPathPattern, source: "registry schema"},
	{typ: "AWS::IAM::Role", path: "Description", maxLen: 1000,
		pattern: regexp.MustCompile(`^[\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{00A1}-\x{00FF}]*$`), source: "registry schema"},
	{typ: "AWS::IAM::Role", path: "MaxSessionDuration", min: num(3600), max: num(43200), integer: true, source: "registry schema"},
	{typ: "AWS::IAM::Role", path: "ManagedPolicyArns", maxItems: 20, source: "registry schema"},
	{typ: "AWS::IAM::Role", path: "Policies[].PolicyName", minLen: 1, maxLen: 128, pattern: iamNamePattern,
		source: "IAM PutRolePolicy"},
	{typ: "AWS::IAM::Role", path: "PermissionsBoundary", minLen: 20, maxLen: 2048, source: "registry schema"},
	{typ: "AWS::IAM::InstanceProfile", path: "InstanceProfileName", minLen: 1, maxLen: 128, pattern: iamNamePattern,
		source: "registry schema"},
	// Path: "/" or "/…/" of printable ASCII (registry pattern (\u002F)|(\u002F[\u0021-\u007E]+\u002F)).
	{typ: "AWS::IAM::InstanceProfile", path: "Path", minLen: 1, maxLen: 512,
		pattern: regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`), source: "registry schema"},
	{typ: "AWS::IAM::InstanceProfile", path: "Roles", minItems: 1, maxItems: 1, source: "registry schema: exactly one role"},
	{typ: "AWS::IAM::ManagedPolicy", path: "ManagedPolicyName", minLen: 1, maxLen: 128, pattern: iamNamePattern,
		source: "IAM CreatePolicy"},
	{typ: "AWS::IAM::ManagedPolicy", path: "Path", minLen: 1, maxLen: 512, pattern: iamPathPattern, source: "registry schema"},
	{typ: "AWS::IAM::ManagedPolicy", path: "Description", maxLen: 1000, source: "registry schema"},
	{typ: "AWS::IAM::Policy", path: "PolicyName", minLen: 1, maxLen: 128, pattern: iamNamePattern, source: "registry schema"},

	// --- AWS::Logs::LogGroup and MetricFilter ---
	{typ: "AWS::Logs::LogGroup", path: "LogGroupName", minLen: 1, maxLen: 512,
		pattern: regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`), source: "registry schema"},
	{typ: "AWS::Logs::LogGroup", path: "RetentionInDays", enum: []string{"1", "3", "5", "7", "14", "30", "60", "90", "120", "150",
		"180", "365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653"}, source: "registry schema"},
	{typ: "AWS::Logs::LogGroup", path: "LogGroupClass", enum: []string{"DELIVERY", "INFREQUENT_ACCESS", "STANDARD"},
		source: "registry schema"},
	{typ: "AWS::Logs::MetricFilter", path: "FilterName", minLen: 1, maxLen: 512, pattern: regexp.MustCompile(`^[^:*]+$`),
		source: "registry schema"},
	{typ: "AWS::Logs::MetricFilter", path: "FilterPattern", maxLen: 1024, source: "registry schema"},
	{typ: "AWS::Logs::MetricFilter", path: "LogGroupName", minLen: 1, maxLen: 512,
		pattern: regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`), source: "registry schema"},
	{typ: "AWS::Logs::MetricFilter", path: "MetricTransformations", minItems: 1, maxItems: 1, source: "registry schema"},
	// MetricName: ASCII without ':', '*' or '$' (registry pattern ^((?![:*$])[\x00-\x7F]){1,255}).
	{typ: "AWS::Logs::MetricFilter", path: "MetricTransformations[].MetricName", minLen: 1, maxLen: 255,
		pattern: regexp.MustCompile(`^[\x00-\x23\x25-\x29\x2B-\x39\x3B-\x7F]+$`), source: "registry schema"},
	{typ: "AWS::Logs::MetricFilter", path: "MetricTransformations[].MetricNamespace", minLen: 1, maxLen: 256,
		pattern: regexp.MustCompile(`^[0-9a-zA-Z.\-_/#]+$`), source: "registry schema"},
	{typ: "AWS::Logs::MetricFilter", path: "MetricTransformations[].MetricValue", minLen: 1, maxLen: 100,
		pattern: regexp.MustCompile(`^([0-9]*|\$.*)$`), source: "registry schema"},
	{typ: "AWS::Logs::MetricFilter", path: "MetricTransformations[].Unit", enum: cloudWatchUnits, source: "registry schema (same set as CloudWatch units)"},
	{typ: "AWS::Logs::MetricFilter", path: "MetricTransformations[].Dimensions", minItems: 1, maxItems: 3, source: "registry schema"},

	// --- AWS::Budgets::Budget ---
	{typ: "AWS::Budgets::Budget", path: "Budget.TimeUnit", enum: []string{"ANNUALLY", "CUSTOM", "DAILY", "MONTHLY", "QUARTERLY"},
		source: "registry schema"},
	{typ: "AWS::Budgets::Budget", path: "Budget.BudgetType", enum: []string{"COST", "RI_COVERAGE", "RI_UTILIZATION",
		"SAVINGS_PLANS_COVERAGE", "SAVINGS_PLANS_UTILIZATION", "USAGE"}, source: "registry schema"},
	// BudgetName: ":" and "\" are not allowed, at most 100 characters (Budgets API).
	{typ: "AWS::Budgets::Budget", path: "Budget.BudgetName", minLen: 1, maxLen: 100, pattern: regexp.MustCompile(`^[^:\\]+$`),
		source: "Budgets API BudgetName"},
	// Spend.Amount: a non-negative decimal (Budgets API NumericValue ([0-9]*\.)?[0-9]+).
	{typ: "AWS::Budgets::Budget", path: "Budget.BudgetLimit.Amount", min: num(0), source: "Budgets API Spend.Amount"},
	{typ: "AWS::Budgets::Budget", path: "NotificationsWithSubscribers[].Notification.Threshold", min: num(0.1), max: num(1e9),
		source: "registry schema"},
	{typ: "AWS::Budgets::Budget", path: "NotificationsWithSubscribers[].Notification.ComparisonOperator",
		enum: []string{"EQUAL_TO", "GREATER_THAN", "LESS_THAN"}, source: "registry schema"},
	{typ: "AWS::Budgets::Budget", path: "NotificationsWithSubscribers[].Notification.NotificationType",
		enum: []string{"ACTUAL", "FORECASTED"}, source: "registry schema"},
	{typ: "AWS::Budgets::Budget", path: "NotificationsWithSubscribers[].Notification.ThresholdType",
		enum: []string{"ABSOLUTE_VALUE", "PERCENTAGE"}, source: "registry schema"},
	{typ: "AWS::Budgets::Budget", path: "NotificationsWithSubscribers[].Subscribers[].SubscriptionType",
		enum: []string{"EMAIL", "SNS"}, source: "registry schema"},

	// --- AWS::Events::Rule ---
	{typ: "AWS::Events::Rule", path: "Name", minLen: 1, maxLen: 64, pattern: regexp.MustCompile(`^[.\-_A-Za-z0-9]+$`),
		source: "registry schema"},
	{typ: "AWS::Events::Rule", path: "Description", maxLen: 512, source: "registry schema"},
	{typ: "AWS::Events::Rule", path: "State", enum: []string{"DISABLED", "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"},
		source: "registry schema"},
	{typ: "AWS::Events::Rule", path: "ScheduleExpression", maxLen: 256, source: "registry schema"},
	{typ: "AWS::Events::Rule", path: "Targets", minItems: 1, maxItems: 5, source: "registry schema"},
	{typ: "AWS::Events::Rule", path: "Targets[].Id", minLen: 1, maxLen: 64, pattern: regexp.MustCompile(`^[.\-_A-Za-z0-9]+$`),
		source: "registry schema"},

	// --- AWS::WAFv2::WebACL, IPSet, WebACLAssociation ---
	{typ: "AWS::WAFv2::WebACL", path: "Name", pattern: wafNamePattern, source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Scope", enum: []string{"CLOUDFRONT", "REGIONAL"}, source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Description", maxLen: 256, source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "VisibilityConfig.MetricName", minLen: 1, maxLen: 128, pattern: wafMetricNamePattern,
		source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Rules[].Name", pattern: wafNamePattern, source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Rules[].Priority", min: num(0), integer: true, source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Rules[].VisibilityConfig.MetricName", minLen: 1, maxLen: 128, pattern: wafMetricNamePattern,
		source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Rules[].Statement.RateBasedStatement.Limit", min: num(10), max: num(2000000000), integer: true,
		source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Rules[].Statement.RateBasedStatement.EvaluationWindowSec",
		enum: []string{"60", "120", "300", "600"}, source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Rules[].Statement.ManagedRuleGroupStatement.Name", pattern: wafNamePattern,
		source: "registry schema"},
	{typ: "AWS::WAFv2::WebACL", path: "Rules[].Statement.ManagedRuleGroupStatement.VendorName", minLen: 1, maxLen: 128,
		source: "registry schema"},
	{typ: "AWS::WAFv2::IPSet", path: "Name", pattern: wafNamePattern, source: "registry schema"},
	{typ: "AWS::WAFv2::IPSet", path: "Scope", enum: []string{"CLOUDFRONT", "REGIONAL"}, source: "registry schema"},
	{typ: "AWS::WAFv2::IPSet", path: "IPAddressVersion", enum: []string{"IPV4", "IPV6"}, source: "registry schema"},
	{typ: "AWS::WAFv2::IPSet", path: "Addresses[]", minLen: 1, maxLen: 50, check: cidr, source: "registry schema; WAF takes CIDR notation"},
	{typ: "AWS::WAFv2::WebACLAssociation", path: "ResourceArn", minLen: 20, maxLen: 2048, source: "registry schema"},
	{typ: "AWS::WAFv2::WebACLAssociation", path: "WebACLArn", minLen: 20, maxLen: 2048, source: "registry schema"},

	// --- AWS::CloudTrail::Trail, GuardDuty, Config ---
	{typ: "AWS::CloudTrail::Trail", path: "TrailName", minLen: 3, maxLen: 128,
		pattern: regexp.MustCompile(`^[a-zA-Z0-9]$|^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$`), source: "registry schema"},
	{typ: "AWS::CloudTrail::Trail", path: "S3KeyPrefix", maxLen: 200, source: "registry schema"},
	{typ: "AWS::CloudTrail::Trail", path: "EventSelectors", maxItems: 5, source: "registry schema"},
	{typ: "AWS::CloudTrail::Trail", path: "EventSelectors[].ReadWriteType", enum: []string{"All", "ReadOnly", "WriteOnly"},
		source: "registry schema"},
	{typ: "AWS::CloudTrail::Trail", path: "InsightSelectors[].InsightType",
		enum: []string{"ApiCallRateInsight", "ApiErrorRateInsight"}, source: "registry schema"},
	{typ: "AWS::GuardDuty::Detector", path: "FindingPublishingFrequency", enum: []string{"FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"},
		source: "registry schema"},
	{typ: "AWS::GuardDuty::Detector", path: "Features[].Status", enum: []string{"DISABLED", "ENABLED"}, source: "registry schema"},
	{typ: "AWS::Config::ConfigRule", path: "ConfigRuleName", minLen: 1, maxLen: 128, source: "AWS Config PutConfigRule"},
	{typ: "AWS::Config::ConfigRule", path: "Description", minLen: 1, maxLen: 256, source: "registry schema"},
	{typ: "AWS::Config::ConfigRule", path: "Source.Owner", enum: []string{"AWS", "CUSTOM_LAMBDA", "CUSTOM_POLICY"},
		source: "registry schema"},
	{typ: "AWS::Config::ConfigRule", path: "MaximumExecutionFrequency", enum: configFrequencies, source: "AWS Config API"},
	{typ: "AWS::Config::DeliveryChannel", path: "ConfigSnapshotDeliveryProperties.DeliveryFrequency", enum: configFrequencies,
		source: "AWS Config API"},

	// --- AWS::SSM::Parameter ---
	// CloudFormation cannot create SecureString parameters; Type is String or StringList.
	{typ: "AWS::SSM::Parameter", path: "Type", enum: []string{"String", "StringList"}, source: "registry schema"},
	{typ: "AWS::SSM::Parameter", path: "Tier", enum: []string{"Advanced", "Intelligent-Tiering", "Standard"}, source: "registry schema"},
	{typ: "AWS::SSM::Parameter", path: "DataType", enum: []string{"aws:ec2:image", "text"}, source: "registry schema"},
	{typ: "AWS::SSM::Parameter", path: "Name", minLen: 1, maxLen: 2048, check: ssmParameterName, source: "registry schema"},
	{typ: "AWS::SSM::Parameter", path: "Description", maxLen: 1024, source: "registry schema"},
	{typ: "AWS::SSM::Parameter", path: "AllowedPattern", maxLen: 1024, source: "registry schema"},

	// --- AWS::EC2::SecurityGroup, SecurityGroupIngress, SecurityGroupEgress ---
	{typ: "AWS::EC2::SecurityGroup", path: "GroupDescription", maxLen: 255, pattern: sgDescriptionPattern, source: "registry schema"},
	// GroupName: "Up to 255 characters in length. Cannot start with sg-" (EC2 CreateSecurityGroup).
	{typ: "AWS::EC2::SecurityGroup", path: "GroupName", minLen: 1, maxLen: 255, check: sgGroupName, source: "EC2 CreateSecurityGroup"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupIngress[].FromPort", min: num(-1), max: num(65535), integer: true, source: "registry schema; EC2 ports"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupIngress[].ToPort", min: num(-1), max: num(65535), integer: true, source: "registry schema; EC2 ports"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupIngress[].IpProtocol", check: ipProtocol, source: "EC2 IpPermission"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupIngress[].CidrIp", check: cidrV4, source: "EC2 IpRange"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupIngress[].CidrIpv6", check: cidrV6, source: "EC2 Ipv6Range"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupIngress[].Description", maxLen: 255, pattern: sgDescriptionPattern, source: "EC2 IpRange Description"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupEgress[].FromPort", min: num(-1), max: num(65535), integer: true, source: "registry schema; EC2 ports"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupEgress[].ToPort", min: num(-1), max: num(65535), integer: true, source: "registry schema; EC2 ports"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupEgress[].IpProtocol", check: ipProtocol, source: "EC2 IpPermission"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupEgress[].CidrIp", check: cidrV4, source: "EC2 IpRange"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupEgress[].CidrIpv6", check: cidrV6, source: "EC2 Ipv6Range"},
	{typ: "AWS::EC2::SecurityGroup", path: "SecurityGroupEgress[].Description", maxLen: 255, pattern: sgDescriptionPattern, source: "EC2 IpRange Description"},
	{typ: "AWS::EC2::SecurityGroupIngress", path: "FromPort", min: num(-1), max: num(65535), integer: true, source: "registry schema; EC2 ports"},
	{typ: "AWS::EC2::SecurityGroupIngress", path: "ToPort", min: num(-1), max: num(65535), integer: true, source: "registry schema; EC2 ports"},
	{typ: "AWS::EC2::SecurityGroupIngress", path: "IpProtocol", check: ipProtocol, source: "EC2 IpPermission"},
	{typ: "AWS::EC2::SecurityGroupIngress", path: "CidrIp", check: cidrV4, source: "EC2 IpRange"},
	{typ: "AWS::EC2::SecurityGroupIngress", path: "CidrIpv6", check: cidrV6, source: "EC2 Ipv6Range"},
	{typ: "AWS::EC2::SecurityGroupIngress", path: "Description", maxLen: 255, pattern: sgDescriptionPattern, source: "EC2 IpRange Description"},
	{typ: "AWS::EC2::SecurityGroupEgress", path: "FromPort", min: num(-1), max: num(65535), integer: true, source: "registry schema; EC2 ports"},
	{typ: "AWS::EC2::SecurityGroupEgress", path: "ToPort", min: num(-1), max: num(65535), integer: true, source: "registry schema; EC2 ports"},
	{typ: "AWS::EC2::SecurityGroupEgress", path: "IpProtocol", check: ipProtocol, source: "EC2 IpPermission"},
	{typ: "AWS::EC2::SecurityGroupEgress", path: "CidrIp", check: cidrV4, source: "EC2 IpRange"},
	{typ: "AWS::EC2::SecurityGroupEgress", path: "CidrIpv6", check: cidrV6, source: "EC2 Ipv6Range"},
	{typ: "AWS::EC2::SecurityGroupEgress", path: "Description", maxLen: 255, pattern: sgDescriptionPattern, source: "EC2 IpRange Description"},

	// --- AWS::EC2::LaunchTemplate ---
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateName", minLen: 3, maxLen: 128, pattern: launchTemplateNamePattern,
		source: "registry schema"},
	{typ: "AWS::EC2::LaunchTemplate", path: "VersionDescription", maxLen: 255, source: "registry schema"},
	{typ: "AWS::EC2::LaunchTemplate", path: "TagSpecifications[].ResourceType", enum: []string{"launch-template"},
		source: "EC2 CreateLaunchTemplate: the template's own tags"},
	// Tags in the launch template data apply to what the instance launch creates: "instance |
	// volume | network-interface | spot-instances-request" (registry description).
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.TagSpecifications[].ResourceType",
		enum: []string{"instance", "network-interface", "spot-instances-request", "volume"}, source: "registry schema description"},
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit", min: num(1), max: num(64),
		integer: true, source: "EC2 InstanceMetadataOptions"},
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.MetadataOptions.HttpTokens", enum: []string{"optional", "required"},
		source: "registry schema"},
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.MetadataOptions.HttpEndpoint", enum: []string{"disabled", "enabled"},
		source: "registry schema"},
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.MetadataOptions.HttpProtocolIpv6", enum: []string{"disabled", "enabled"},
		source: "registry schema"},
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.MetadataOptions.InstanceMetadataTags", enum: []string{"disabled", "enabled"},
		source: "registry schema"},
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.BlockDeviceMappings[].Ebs.VolumeType",
		enum: []string{"gp2", "gp3", "io1", "io2", "sc1", "st1", "standard"}, source: "registry schema"},
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.InstanceInitiatedShutdownBehavior", enum: []string{"stop", "terminate"},
		source: "registry schema"},
	// "User data is limited to 16 KB, in raw form, before it is base64-encoded" (EC2 User Guide).
	{typ: "AWS::EC2::LaunchTemplate", path: "LaunchTemplateData.UserData", check: userDataSize, intrinsics: true, source: "EC2: user data up to 16 KB"},
}

// Value sets and patterns shared by several rules.
var (
	elbTargetProtocols       = []string{"GENEVE", "HTTP", "HTTPS", "QUIC", "TCP", "TCP_QUIC", "TCP_UDP", "TLS", "UDP"}
	cloudWatchStatistics     = []string{"Average", "Maximum", "Minimum", "SampleCount", "Sum"}
	alarmComparisonOperators = []string{"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "GreaterThanUpperThreshold",
		"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "LessThanOrEqualToThreshold", "LessThanThreshold"}
	cloudWatchUnits = []string{"Bits", "Bits/Second", "Bytes", "Bytes/Second", "Count", "Count/Second", "Gigabits",
		"Gigabits/Second", "Gigabytes", "Gigabytes/Second", "Kilobits", "Kilobits/Second", "Kilobytes", "Kilobytes/Second",
		"Megabits", "Megabits/Second", "Megabytes", "Megabytes/Second", "Microseconds", "Milliseconds", "None", "Percent",
		"Seconds", "Terabits", "Terabits/Second", "Terabytes", "Terabytes/Second"}
	// asgGroupMetrics are the metrics EnableMetricsCollection accepts.
	asgGroupMetrics = []string{"GroupAndWarmPoolDesiredCapacity", "GroupAndWarmPoolTotalCapacity", "GroupDesiredCapacity",
		"GroupInServiceCapacity", "GroupInServiceInstances", "GroupMaxSize", "GroupMinSize", "GroupPendingCapacity",
		"GroupPendingInstances", "GroupStandbyCapacity", "GroupStandbyInstances", "GroupTerminatingCapacity",
		"GroupTerminatingInstances", "GroupTotalCapacity", "GroupTotalInstances", "WarmPoolDesiredCapacity",
		"WarmPoolMinSize", "WarmPoolPendingCapacity", "WarmPoolTerminatingCapacity", "WarmPoolTotalCapacity",
		"WarmPoolWarmedCapacity"}
	configFrequencies = []string{"One_Hour", "Six_Hours", "Three_Hours", "Twelve_Hours", "TwentyFour_Hours"}

	launchTemplateNamePattern = regexp.MustCompile(`^[a-zA-Z0-9().\-/_]+$`)
	iamNamePattern            = regexp.MustCompile(`^[\w+=,.@-]+$`)
	iamPathPattern            = regexp.MustCompile(`^/(.+/)*$`)
	wafNamePattern            = regexp.MustCompile(`^[0-9A-Za-z_-]{1,128}$`)
	wafMetricNamePattern      = regexp.MustCompile(`^[\w#:.\-/]+$`)
	// sgDescriptionPattern: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*" (EC2 API).
	sgDescriptionPattern     = regexp.MustCompile(`^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*$`)
	elbNamePattern           = regexp.MustCompile(`^[a-zA-Z0-9-]+$`)
	s3BucketPattern          = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	ssmNamePattern           = regexp.MustCompile(`^/?[\w.-]+(/[\w.-]+)*$`)
	extendedStatisticPattern = regexp.MustCompile(
		`^(p|tm|tc|ts|wm)(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)$|^IQM$|^(PR|TM|TC|TS|WM)\(([0-9.]+%?)?:([0-9.]+%?)?\)$`)
)
