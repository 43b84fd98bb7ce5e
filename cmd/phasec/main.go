// Command phasec compiles CUE service specs into CloudFormation templates,
// locks them as golden files, and deploys them through change sets.
package main

import "os"

func main() { os.Exit(Main()) }
