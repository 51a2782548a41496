/* Makes cmyk_patches.jpg, the CMYK JPEG fixture of tests/vision/face_image_test.cpp: four 32x32 patches
 * (red, green, blue, skin) stored as Photoshop and ImageMagick store CMYK (inverted ink values with an
 * Adobe APP14 marker, which libjpeg writes for JCS_CMYK). Not part of the build; to remake the file:
 *   cc make_cmyk_jpeg.c -ljpeg -o /tmp/make_cmyk_jpeg && /tmp/make_cmyk_jpeg cmyk_patches.jpg */
#include <stdio.h>
#include <jpeglib.h>

static const unsigned char kPatches[4][3] = {{255, 0, 0}, {0, 160, 0}, {40, 60, 200}, {224, 172, 140}};  /* RGB */

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  FILE* f = fopen(argv[1], "wb");
  if (!f) return 1;
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  jpeg_stdio_dest(&c, f);
  c.image_width = 64;
  c.image_height = 64;
  c.input_components = 4;
  c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 95, TRUE);
  jpeg_start_compress(&c, TRUE);
  unsigned char row[64 * 4];
  while (c.next_scanline < 64) {
    for (int x = 0; x < 64; ++x) {
      const unsigned char* rgb = kPatches[(c.next_scanline / 32) * 2 + x / 32];
      int max = rgb[0] > rgb[1] ? rgb[0] : rgb[1];
      if (rgb[2] > max) max = rgb[2];
      const int k = 255 - max;
      for (int i = 0; i < 3; ++i) {
        const int ink = max == 0 ? 0 : (max - rgb[i]) * 255 / max; /* (255 - v - k) / (255 - k) */
        row[x * 4 + i] = (unsigned char)(255 - ink);             /* Adobe: stored inverted */
      }
      row[x * 4 + 3] = (unsigned char)(255 - k);
    }
    JSAMPROW rows[1] = {row};
    jpeg_write_scanlines(&c, rows, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  fclose(f);
  return 0;
}
