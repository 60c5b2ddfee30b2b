package dev.dnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 and refuses anything else, saying where: unlike {@code InputStreamReader}, it first
 * hands out every character decoded before a bad byte, and only the next read throws {@link
 * Malformed} with the byte's offset, so the caller knows the exact line and column.
 */
final class StrictUtf8Reader extends Reader {
  /** Bytes that are not UTF-8, at {@link #offset()} of the stream. */
  static final class Malformed extends CharacterCodingException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final int firstByte;

    Malformed(long offset, int firstByte) {
      this.offset = offset;
      this.firstByte = firstByte;
    }

    long offset() {
      return offset;
    }

    int firstByte() {
      return firstByte;
    }

    @Override
    public String getMessage() {
      return String.format("byte 0x%02x at byte offset %d is not valid UTF-8", firstByte, offset);
    }
  }

  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
  private long consumedBefore; // stream offset of bytes.array()[0]
  private boolean eof;
  private boolean done;
  private Malformed pending;

  StrictUtf8Reader(InputStream in) {
    this.in = in;
  }

  @Override
  public int read(char[] target, int off, int len) throws IOException {
    if (pending != null) {
      throw pending;
    }
    if (len == 0) {
      return 0;
    }
    if (done) {
      return -1; // the decoder is flushed; it must not decode again
    }
    CharBuffer out = CharBuffer.wrap(target, off, len);
    while (out.position() == off) {
      CoderResult result = decoder.decode(bytes, out, eof);
      if (result.isError()) {
        pending =
            new Malformed(consumedBefore + bytes.position(), bytes.get(bytes.position()) & 0xFF);
        if (out.position() > off) {
          break;
        }
        throw pending;
      }
      if (result.isOverflow()) {
        break;
      }
      if (eof) {
        decoder.flush(out);
        break;
      }
      refill();
    }
    int n = out.position() - off;
    if (n == 0 && eof) {
      done = true;
      return -1;
    }
    return n;
  }

  private void refill() throws IOException {
    consumedBefore += bytes.position();
    bytes.compact();
    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (n < 0) {
      eof = true;
    } else {
      bytes.position(bytes.position() + n);
    }
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
