package epub

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// luminance is the WCAG 2 relative luminance of a "#RRGGBB" colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("colour %q", hex)
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestLinkContrast computes the WCAG contrast of the stylesheet's link
// colours (issue 13, item 17): the stylesheet declares both colour
// schemes; the links' colour reads at 4.5:1 or better on white and on
// black (for reading systems that swap only the page colour), and the
// dark scheme's on dark pages up to #333333.
func TestLinkContrast(t *testing.T) {
	css := stylesheet(Options{}.withDefaults(), nil)
	if !regexp.MustCompile(`:root\s*\{\s*color-scheme:\s*light dark;`).MatchString(css) {
		t.Errorf("the stylesheet does not declare color-scheme: light dark")
	}
	i := strings.Index(css, "@media (prefers-color-scheme: dark)")
	if i < 0 {
		t.Fatal("no prefers-color-scheme: dark block")
	}
	link := regexp.MustCompile(`(?m)^\s*a:link, a:visited \{ color: (#[0-9A-Fa-f]{6}); \}`)
	light, dark := link.FindStringSubmatch(css[:i]), link.FindStringSubmatch(css[i:])
	if light == nil || dark == nil {
		t.Fatalf("link colours not found (light %v, dark %v)", light, dark)
	}
	for _, c := range []struct{ fg, bg string }{
		{light[1], "#FFFFFF"}, {light[1], "#000000"},
		{dark[1], "#000000"}, {dark[1], "#121212"}, {dark[1], "#1E1E1E"}, {dark[1], "#333333"},
	} {
		if r := contrast(t, c.fg, c.bg); r < 4.5 {
			t.Errorf("link colour %s on %s: contrast %.2f:1, want at least 4.5:1", c.fg, c.bg, r)
		}
	}
	if r := contrast(t, "#0000EE", "#000000"); r >= 4.5 {
		t.Errorf("the check is wrong: the default link blue on black has %.2f:1", r)
	}
}
