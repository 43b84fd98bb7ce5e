package rules

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// nitroFamilies are the instance families that the Control Tower controls
// CT.EC2.PR.15, CT.EC2.PR.16 and CT.AUTOSCALING.PR.10 list as built on AWS
// Nitro (Controls reference, 2025). Entries with a size (i3.metal) admit
// only that size: the other i3 sizes run on Xen. Families of the sixth
// generation and later are all Nitro-based, so isNitro accepts them too,
// which the Control Tower list (a snapshot) may not yet name.
var nitroFamilies = strings.Fields(`a1 c5 c5a c5ad c5d c5n c6a c6g c6gd c6gn c6i c6id c6in
c7a c7g c7gd c7gn c7i-flex c7i c8g c8gd c8gn d3 d3en dl1 dl2q f2 g4ad g4dn g5 g5g g6 g6e g6f gr6 gr6f
hpc6a hpc6id hpc7a hpc7g i3.metal i3en i4g i4i i7i i7ie i8g im4gn inf1 inf2 is4gen
m5 m5a m5ad m5d m5dn m5n m5zn m6a m6g m6gd m6i m6id m6idn m6in m7a m7g m7gd m7i-flex m7i m8g m8gd
mac1.metal mac2-m1ultra.metal mac2-m2.metal mac2-m2pro.metal mac2.metal
p3dn p4d p4de p5 p5e p5en p6-b200 r5 r5a r5ad r5b r5d r5dn r5n r6a r6g r6gd r6i r6id r6idn r6in
r7a r7g r7gd r7i r7iz r8g r8gd r8i-flex r8i t3 t3a t4g trn1 trn1n trn2
u-12tb1 u-18tb1 u-24tb1 u-3tb1 u-6tb1 u-9tb1 u7i-12tb u7i-6tb u7i-8tb u7in-16tb u7in-24tb u7in-32tb
vt1 x2gd x2idn x2iedn x2iezn x8g z1d`)

// inTransitFamilies are the Nitro families whose instances encrypt the
// traffic between them in hardware, as CT.AUTOSCALING.PR.11 and
// CT.EC2.PR.19 list them (Controls reference, 2025). Not every newer
// family does (no burstable one, no Graviton2 general-purpose one), so
// unlike isNitro, encryptsInTransit accepts only what the list names.
var inTransitFamilies = strings.Fields(`c5a c5ad c5n c6a c6gn c6i c6id c6in c7a c7g c7gd c7gn
c7i-flex c7i c8g c8gd c8gn d3 d3en dl1 dl2q f2 g4ad g4dn g5 g6 g6e g6f gr6 gr6f
hpc6a hpc6id hpc7a hpc7g i3en i4g i4i i7i i7ie i8g im4gn inf1 inf2 is4gen
m5dn m5n m5zn m6a m6i m6id m6idn m6in m7a m7g m7gd m7i-flex m7i m8g m8gd
p3dn p4d p4de p5 p5e p5en p6-b200 r5dn r5n r6a r6i r6id r6idn r6in r7a r7g r7gd r7i r7iz
r8g r8gd r8i-flex r8i trn1 trn1n trn2 u-12tb1 u-18tb1 u-24tb1 u-3tb1 u-6tb1 u-9tb1
u7i-12tb u7i-6tb u7i-8tb u7in-16tb u7in-24tb u7in-32tb vt1 x2idn x2iedn x2iezn x8g`)

// generation finds the generation digit of standard family names (m7g → 7).
var generation = regexp.MustCompile(`^[a-z]+([0-9]+)[a-z0-9-]*$`)

// listed reports whether an instance type (t3.small, or a pattern such as
// m5.* that InstanceRequirements accepts) belongs to a family of the list,
// or is the one size a sized entry (i3.metal) admits.
func listed(instanceType string, families []string) bool {
	family, _, ok := strings.Cut(instanceType, ".")
	if !ok || family == "" {
		return false
	}
	return slices.Contains(families, family) || slices.Contains(families, instanceType)
}

// isNitro reports whether an instance type such as t3.small runs on Nitro.
func isNitro(instanceType string) bool {
	if listed(instanceType, nitroFamilies) {
		return true
	}
	family, _, _ := strings.Cut(instanceType, ".")
	if slices.ContainsFunc(nitroFamilies, func(f string) bool { return strings.HasPrefix(f, family+".") }) {
		return false // only the listed size of this family is Nitro
	}
	if m := generation.FindStringSubmatch(family); m != nil {
		g, _ := strconv.Atoi(m[1])
		return g >= 6
	}
	return false
}

// encryptsInTransit reports whether instances of a type encrypt the
// traffic between them on the Nitro hardware.
func encryptsInTransit(instanceType string) bool {
	return listed(instanceType, inTransitFamilies)
}
