package compile

import (
	"testing"

	"github.com/genai-handbook/handbook/compile/tree"
)

func TestSmarten(t *testing.T) {
	for in, want := range map[string]string{
		`Tool Use and "Agents"`:         `Tool Use and “Agents”`,
		`beyond just "chatbots".`:       `beyond just “chatbots”.`,
		`it's the model's 'view'`:       `it’s the model’s ‘view’`,
		`a--b and c---d, then...`:       `a–b and c—d, then…`,
		`"quoted" at the start`:         `“quoted” at the start`,
		`(see "this")`:                  `(see “this”)`,
		`already “curly” and it’s fine`: `already “curly” and it’s fine`,
		`the '90s`:                      `the ’90s`,
	} {
		ins := []tree.Inline{&tree.Text{Text: in}}
		smarten(ins)
		if got := ins[0].(*tree.Text).Text; got != want {
			t.Errorf("smarten(%q) = %q, want %q", in, got, want)
		}
	}
	// Across nodes, and never in code.
	ins := []tree.Inline{&tree.Text{Text: `say "`}, &tree.Emph{Content: []tree.Inline{&tree.Text{Text: "hi"}}}, &tree.Text{Text: `" and `}, &tree.Code{Text: `x = "y"`}}
	smarten(ins)
	if got := tree.PlainText(ins); got != `say “hi” and x = "y"` {
		t.Errorf("across nodes: %q", got)
	}
}
