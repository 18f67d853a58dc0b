package main

import (
	"regexp"
	"runtime/debug"
	"strings"
)

// version is the tool's version in release binaries, stamped with
// -ldflags "-X main.version=v1.2.3" (see .github/workflows/release.yml);
// "" in every other build, which then takes its version from the build
// information.
var version = ""

// toolVersion says which handbook this is, for `handbook version`,
// `--version` and the books' generator metadata.
func toolVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return describeVersion(version, bi)
}

// pseudoVersion matches the version the go command invents for an untagged
// commit (v0.0.0-20240605120000-0123456789ab), which says less than the
// revision it is made from.
var pseudoVersion = regexp.MustCompile(`-(0\.)?\d{14}-[0-9a-f]{12}(\+dirty)?$`)

// describeVersion is toolVersion for given inputs:
//
//   - a release binary: the stamped version ("v1.2.3");
//   - `go install …/cmd/handbook@v1.2.3`: the module version the go
//     command recorded ("v1.2.3", or a pseudo-version for @latest before any
//     tag);
//   - `go build` in a checkout: "devel", or the tag the checkout is at,
//     followed by the VCS revision and "dirty" when the tree had
//     uncommitted changes ("devel (50d45c3a1b2c, dirty)").
func describeVersion(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if bi == nil {
		return "devel"
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	base := strings.TrimSuffix(bi.Main.Version, "+dirty")
	if base == "" || base == "(devel)" || rev != "" && pseudoVersion.MatchString(bi.Main.Version) {
		base = "devel"
	}
	if rev == "" {
		return base
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		return base + " (" + rev + ", dirty)"
	}
	return base + " (" + rev + ")"
}
