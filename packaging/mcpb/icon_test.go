package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"testing"
)

// The bundle's icon is drawn here rather than taken from anywhere: three
// steps of a scenario joined by its route, white on a purple square with
// round corners. MCPB hosts show it at up to 512×512.
//
// TestIcon fails when icon.png no longer shows this drawing;
// MAKEMCP_UPDATE_ICON=1 go test ./packaging/mcpb -run TestIcon redraws it.

const iconSize = 512

func drawIcon() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, iconSize, iconSize))
	top := [3]float64{0x7b, 0x2c, 0xe0}
	bottom := [3]float64{0x4a, 0x12, 0x9c}
	nodes := [][2]float64{{136, 318}, {256, 194}, {376, 318}}
	const nodeRadius, lineHalfWidth, corner = 62.0, 17.0, 112.0
	// 4×4 samples a pixel smooth the edges.
	const samples = 4
	for y := range iconSize {
		for x := range iconSize {
			var inSquare, inMark float64
			for sy := range samples {
				for sx := range samples {
					px := float64(x) + (float64(sx)+0.5)/samples
					py := float64(y) + (float64(sy)+0.5)/samples
					if !inRoundedSquare(px, py, corner) {
						continue
					}
					inSquare++
					if onMark(px, py, nodes, nodeRadius, lineHalfWidth) {
						inMark++
					}
				}
			}
			if inSquare == 0 {
				continue
			}
			t := float64(y) / iconSize
			var c [3]float64
			for i := range c {
				bg := top[i] + (bottom[i]-top[i])*t
				f := inMark / inSquare
				c[i] = bg*(1-f) + 255*f
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(math.Round(c[0])), G: uint8(math.Round(c[1])), B: uint8(math.Round(c[2])),
				A: uint8(math.Round(255 * inSquare / (samples * samples))),
			})
		}
	}
	return img
}

func inRoundedSquare(x, y, r float64) bool {
	cx := math.Min(math.Max(x, r), iconSize-r)
	cy := math.Min(math.Max(y, r), iconSize-r)
	return math.Hypot(x-cx, y-cy) <= r
}

// onMark reports whether a point is on a node or on the route between
// consecutive nodes.
func onMark(x, y float64, nodes [][2]float64, radius, halfWidth float64) bool {
	for i, n := range nodes {
		if math.Hypot(x-n[0], y-n[1]) <= radius {
			return true
		}
		if i > 0 && distanceToSegment(x, y, nodes[i-1], n) <= halfWidth {
			return true
		}
	}
	return false
}

func distanceToSegment(x, y float64, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((x-a[0])*dx + (y-a[1])*dy) / (dx*dx + dy*dy)
	t = math.Min(math.Max(t, 0), 1)
	return math.Hypot(x-(a[0]+t*dx), y-(a[1]+t*dy))
}

func TestIcon(t *testing.T) {
	want := drawIcon()
	if os.Getenv("MAKEMCP_UPDATE_ICON") == "1" {
		var b bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, want); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("icon.png", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile("icon.png")
	if err != nil {
		t.Fatal(err)
	}
	// Pixels, not bytes: another Go version may compress the same image
	// differently.
	got, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("icon.png: %v", err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("icon.png is %v, want %v", got.Bounds(), want.Bounds())
	}
	for y := range iconSize {
		for x := range iconSize {
			if g, w := color.NRGBAModel.Convert(got.At(x, y)), want.At(x, y); g != w {
				t.Fatalf("icon.png differs from the drawing at (%d, %d): %v, want %v; run MAKEMCP_UPDATE_ICON=1 go test ./packaging/mcpb -run TestIcon", x, y, g, w)
			}
		}
	}
}
