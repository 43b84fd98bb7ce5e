package templatecheck

import (
	"fmt"
	"strings"
)

// Cross-field rules for EC2 launch templates and security groups.

// ebsLimits are the per-volume-type bounds; zero means the field is not supported.
type ebsLimits struct {
	minSize, maxSize       float64
	minIops, maxIops       float64
	needIops               bool
	minThroughput, maxThru float64
}

var ebsVolumeTypes = map[string]ebsLimits{
	"gp3":      {minSize: 1, maxSize: 65536, minIops: 3000, maxIops: 80000, minThroughput: 125, maxThru: 2000},
	"gp2":      {minSize: 1, maxSize: 16384},
	"io1":      {minSize: 4, maxSize: 16384, minIops: 100, maxIops: 64000, needIops: true},
	"io2":      {minSize: 4, maxSize: 65536, minIops: 100, maxIops: 256000, needIops: true},
	"st1":      {minSize: 125, maxSize: 16384},
	"sc1":      {minSize: 125, maxSize: 16384},
	"standard": {minSize: 1, maxSize: 1024},
}

// ebsVolumes checks size, IOPS and throughput against the limits of each volume type.
func ebsVolumes(x *ruleContext) {
	data, ok := x.props["LaunchTemplateData"].(map[string]any)
	if !ok {
		return
	}
	bdms, ok := data["BlockDeviceMappings"].([]any)
	if !ok {
		return
	}
	for i, b := range bdms {
		m, _ := b.(map[string]any)
		ebs, ok := m["Ebs"].(map[string]any)
		if !ok {
			continue
		}
		rel := fmt.Sprintf("LaunchTemplateData.BlockDeviceMappings[%d].Ebs", i)
		vt, ok := ebs["VolumeType"].(string)
		if !ok {
			continue
		}
		lim, ok := ebsVolumeTypes[vt]
		if !ok {
			continue // the VolumeType enum rule reports it
		}
		if n, ok := x.num(ebs, "VolumeSize"); ok && (n < lim.minSize || n > lim.maxSize) {
			x.emit(rel+".VolumeSize", "%s VolumeSize %s GiB is outside %s-%s", vt, formatNum(n), formatNum(lim.minSize), formatNum(lim.maxSize))
		}
		if n, ok := x.num(ebs, "Iops"); ok {
			if lim.maxIops == 0 {
				x.emit(rel+".Iops", "Iops is only supported for gp3, io1 and io2 volumes, not %s", vt)
			} else if n < lim.minIops || n > lim.maxIops {
				x.emit(rel+".Iops", "%s Iops %s is outside %s-%s", vt, formatNum(n), formatNum(lim.minIops), formatNum(lim.maxIops))
			}
		} else if _, given := ebs["Iops"]; !given && lim.needIops {
			x.emit(rel, "%s volumes need Iops", vt)
		}
		if n, ok := x.num(ebs, "Throughput"); ok {
			if lim.maxThru == 0 {
				x.emit(rel+".Throughput", "Throughput is only supported for gp3 volumes, not %s", vt)
			} else if n < lim.minThroughput || n > lim.maxThru {
				x.emit(rel+".Throughput", "%s Throughput %s MiB/s is outside %s-%s", vt, formatNum(n), formatNum(lim.minThroughput), formatNum(lim.maxThru))
			}
		}
	}
}

var (
	ingressPeers = []string{"CidrIp", "CidrIpv6", "SourcePrefixListId", "SourceSecurityGroupId", "SourceSecurityGroupName"}
	egressPeers  = []string{"CidrIp", "CidrIpv6", "DestinationPrefixListId", "DestinationSecurityGroupId"}
)

// securityGroupRules checks the inline ingress and egress rules of a security group.
func securityGroupRules(x *ruleContext) {
	for _, k := range []string{"SecurityGroupIngress", "SecurityGroupEgress"} {
		rules, ok := x.props[k].([]any)
		if !ok {
			continue
		}
		peers := ingressPeers
		if k == "SecurityGroupEgress" {
			peers = egressPeers
		}
		for i, r := range rules {
			if m, ok := r.(map[string]any); ok {
				sgRule(x, m, fmt.Sprintf("%s[%d]", k, i), peers)
			}
		}
	}
}

// sgRule checks one permission: TCP/UDP port ranges and exactly one peer.
func sgRule(x *ruleContext, m map[string]any, rel string, peers []string) {
	at := func(k string) string {
		if rel == "" {
			return k
		}
		return rel + "." + k
	}
	if p, ok := m["IpProtocol"]; ok {
		switch strings.ToLower(scalarText(p)) {
		case "tcp", "udp", "6", "17":
			from, okFrom := x.num(m, "FromPort")
			to, okTo := x.num(m, "ToPort")
			_, givenFrom := m["FromPort"]
			_, givenTo := m["ToPort"]
			if !givenFrom || !givenTo {
				x.emit(rel, "a TCP or UDP rule needs FromPort and ToPort")
			} else if okFrom && okTo && from > to {
				x.emit(at("FromPort"), "FromPort %s is greater than ToPort %s", formatNum(from), formatNum(to))
			}
		}
	}
	var given []string
	for _, k := range peers {
		if _, ok := m[k]; ok {
			given = append(given, k)
		}
	}
	switch {
	case len(given) == 0:
		x.emit(rel, "a rule needs one of %s", strings.Join(peers, ", "))
	case len(given) > 1:
		x.emit(rel, "a rule takes one of %s, not %s", strings.Join(peers, ", "), strings.Join(given, " and "))
	}
}
