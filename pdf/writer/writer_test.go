package writer

import "testing"

// TestRenumber: references in a dictionary are renumbered, a stream's
// data is not, and a reference to an object that is not carried over is
// an error.
func TestRenumber(t *testing.T) {
	final := []int{0, 11, 0, 13, 14}
	got, err := renumber([]byte("3 0 obj\n<</Type /Page\n/Parent 1 0 R\n/Contents 4 0 R>>\nendobj\n"), final)
	if err != nil || string(got) != "13 0 obj\n<</Type /Page\n/Parent 11 0 R\n/Contents 14 0 R>>\nendobj\n" {
		t.Errorf("page: %q, %v", got, err)
	}
	got, err = renumber([]byte("4 0 obj\n<</Length 8>>\nstream\n1 0 R 3 \nendstream\nendobj\n"), final)
	if err != nil || string(got) != "14 0 obj\n<</Length 8>>\nstream\n1 0 R 3 \nendstream\nendobj\n" {
		t.Errorf("stream: %q, %v", got, err)
	}
	if _, err := renumber([]byte("3 0 obj\n<</Root 2 0 R>>\nendobj\n"), final); err == nil {
		t.Error("a reference to an object left out: no error")
	}
	if _, err := renumber([]byte("3 0 obj\n<</X 9 0 R>>\nendobj\n"), final); err == nil {
		t.Error("a reference out of range: no error")
	}
}
