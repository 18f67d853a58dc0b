package edition

import (
	"strings"
	"testing"
)

// TestResourceKind: the kind of a resource comes from its address.
func TestResourceKind(t *testing.T) {
	for u, want := range map[string]kind{
		"https://www.youtube.com/watch?v=abc":                   kindVideo,
		"https://youtu.be/abc":                                  kindVideo,
		"https://vimeo.com/123":                                 kindVideo,
		"https://arxiv.org/abs/1706.03762":                      kindPaper,
		"https://openreview.net/forum?id=x":                     kindPaper,
		"https://aclanthology.org/2020.acl-main.1/":             kindPaper,
		"https://example.org/papers/thing.pdf":                  kindPaper,
		"https://github.com/karpathy/nanoGPT":                   kindCode,
		"https://gitlab.com/x/y":                                kindCode,
		"https://huggingface.co/meta-llama/Llama-2-7b":          kindCode,
		"https://huggingface.co/blog/rlhf":                      kindArticle,
		"https://huggingface.co/learn/nlp-course":               kindCourse,
		"https://www.coursera.org/learn/machine-learning":       kindCourse,
		"https://web.stanford.edu/class/cs224n/":                kindCourse,
		"https://cs231n.stanford.edu/":                          kindCourse,
		"https://d2l.ai/chapter_optimization/lr-scheduler.html": kindBook,
		"https://www.deeplearningbook.org/":                     kindBook,
		"https://lilianweng.github.io/posts/2023-06-23-agent/":  kindArticle,
		"https://example.com/":                                  kindArticle,
	} {
		if got := resourceKind(u); got != want {
			t.Errorf("resourceKind(%s) = %s, want %s", u, got, want)
		}
	}
}

// TestDeepLink: QR codes only for addresses with a path or a query.
func TestDeepLink(t *testing.T) {
	for u, want := range map[string]bool{
		"https://openai.com":         false,
		"https://openai.com/":        false,
		"http://chat.openai.com":     false,
		"https://www.anthropic.com/": false,
		"https://example.com/?q=1":   true,
		"https://example.com/a":      true,
		"https://github.com/x/y":     true,
		"https://example.com/#frag":  false,
		"not a url":                  false,
	} {
		if got := deepLink(u); got != want {
			t.Errorf("deepLink(%q) = %v, want %v", u, got, want)
		}
	}
}

// TestVague and the sentence around a link.
func TestVague(t *testing.T) {
	for s, want := range map[string]bool{
		"here": true, "this": true, "this video": true, "#10": true, "video": true, "blog post": true, "a blog post": true,
		"Attention Is All You Need": false, "Lilian Weng’s blog": false, "StatQuest": false, "LoRA": false, "RL": true, "d2l.ai": false,
	} {
		if got := vague(s); got != want {
			t.Errorf("vague(%q) = %v, want %v", s, got, want)
		}
	}
	text := "Models forget. For a gentle start, see the notes here on positional encodings. Then read on."
	from := len("Models forget. For a gentle start, see the notes ")
	got := sentenceAround(text, from, from+len("here"), 110)
	if want := "For a gentle start, see the notes here on positional encodings."; got != want {
		t.Errorf("sentenceAround = %q, want %q", got, want)
	}
	long := "Start " + strings.Repeat("word ", 60) + "here " + strings.Repeat("more ", 60) + "end."
	i := len("Start " + strings.Repeat("word ", 60))
	got = sentenceAround(long, i, i+4, 40)
	if len([]rune(got)) > 42 || !strings.Contains(got, "here") || !strings.Contains(got, "…") {
		t.Errorf("sentenceAround of a long sentence = %q", got)
	}
}
