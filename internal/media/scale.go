package media

import (
	"image"
	"image/draw"
)

// fit scales img down to fit in w x h, keeping its aspect ratio, with an
// area-averaging (box) filter over premultiplied colours; smaller images are
// returned as they are. Source rows are converted one band at a time, so
// the extra memory is the thumbnail plus a few source rows.
func fit(img image.Image, w, h int) image.Image {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	if sw <= w && sh <= h {
		return img
	}
	// the largest size that fits, as PIL's thumbnail()
	tw, th := w, sh*w/sw
	if th > h {
		tw, th = sw*h/sh, h
	}
	tw, th = max(tw, 1), max(th, 1)
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	band := image.NewRGBA(image.Rect(0, 0, sw, sh/th+2))
	for y := 0; y < th; y++ {
		y0, y1 := y*sh/th, max((y+1)*sh/th, y*sh/th+1)
		rows := image.Rect(0, 0, sw, y1-y0)
		draw.Draw(band, rows, img, image.Point{X: b.Min.X, Y: b.Min.Y + y0}, draw.Src)
		for x := 0; x < tw; x++ {
			x0, x1 := x*sw/tw, max((x+1)*sw/tw, x*sw/tw+1)
			var r, g, bl, a, n uint64
			for yy := 0; yy < y1-y0; yy++ {
				row := band.Pix[yy*band.Stride:]
				for xx := x0; xx < x1; xx++ {
					p := row[xx*4 : xx*4+4]
					r += uint64(p[0])
					g += uint64(p[1])
					bl += uint64(p[2])
					a += uint64(p[3])
					n++
				}
			}
			o := dst.PixOffset(x, y)
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(r/n), uint8(g/n), uint8(bl/n), uint8(a/n)
		}
	}
	return dst
}
