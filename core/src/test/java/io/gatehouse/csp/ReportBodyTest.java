package io.gatehouse.csp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.http.Response;
import io.gatehouse.proxy.HeaderLookup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ReportBody#readAvailable}: what has arrived is read without blocking, never past the body. */
class ReportBodyTest {
    private static final byte[] REPORT = ("{\"csp-report\":{\"document-uri\":\"https://a.example/\","
            + "\"violated-directive\":\"script-src\",\"blocked-uri\":\"inline\"}}").getBytes(StandardCharsets.UTF_8);
    private static final long TEN_SECONDS = 10_000_000_000L;

    private final RecordingSink sink = new RecordingSink();
    private final CspReportEndpoint endpoint = CspReportEndpointTest.endpoint(sink);

    private ReportBody body(String contentLength) {
        HeaderLookup headers = contentLength == null ? HeaderLookup.none()
                : HeaderLookup.of(Map.of("Content-Length", List.of(contentLength)));
        return endpoint.readBody("token=phc_t", "application/csp-report", headers, TEN_SECONDS);
    }

    /**
     * A stream that holds {@code arrived} bytes of {@code data} and would block for the rest: while
     * {@code strict}, asking for more than {@code available()} fails the test; otherwise a read gets
     * what has arrived, as from a blocking stream.
     */
    private static final class Arriving extends InputStream {
        private final byte[] data;
        private int arrived;
        private int pos;
        boolean strict = true;

        Arriving(byte[] data, int arrived) {
            this.data = data;
            this.arrived = arrived;
        }

        void arrive(int n) {
            arrived = Math.min(data.length, arrived + n);
        }

        @Override
        public int available() {
            return arrived - pos;
        }

        @Override
        public int read() {
            throw new AssertionError("single-byte read");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == data.length) {
                return -1;
            }
            if (strict ? len > arrived - pos : arrived == pos) {
                throw new AssertionError("would block: asked for " + len + ", " + (arrived - pos) + " arrived");
            }
            len = Math.min(len, arrived - pos);
            System.arraycopy(data, pos, b, off, len);
            pos += len;
            return len;
        }
    }

    @Test
    void aBodyThatHasArrivedIsAnsweredAtOnce() throws IOException {
        ReportBody body = body(Integer.toString(REPORT.length));
        Response r = body.readAvailable(new Arriving(REPORT, REPORT.length));
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(204);
        assertThat(body.isDone()).isTrue();
        assertThat(sink.events).hasSize(1);
    }

    @Test
    void aBodyStillOnItsWayIsReadAsFarAsItCameThenGoesOnWithReadFrom() throws IOException {
        ReportBody body = body(Integer.toString(REPORT.length));
        Arriving in = new Arriving(REPORT, 0);
        assertThat(body.readAvailable(in)).isNull();
        in.arrive(40);
        assertThat(body.readAvailable(in)).isNull();
        assertThat(in.pos).isEqualTo(40);
        assertThat(body.isDone()).isFalse();
        assertThat(sink.events).isEmpty();

        in.arrive(REPORT.length);
        in.strict = false;
        Response r = body.readFrom(in, () -> true);
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(204);
        assertThat(sink.events).hasSize(1);
        assertThat(sink.events.get(0).properties()).containsEntry("$csp_document_url", "https://a.example/");
    }

    @Test
    void bytesAfterTheDeclaredLengthAreLeftInTheStream() throws IOException {
        byte[] pipelined = Arrays.copyOf(REPORT, REPORT.length + 20);
        Arrays.fill(pipelined, REPORT.length, pipelined.length, (byte) 'G');
        Arriving in = new Arriving(pipelined, pipelined.length);
        Response r = body(Integer.toString(REPORT.length)).readAvailable(in);
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(204);
        assertThat(in.pos).isEqualTo(REPORT.length);
    }

    @Test
    void withoutADeclaredLengthNothingIsRead() throws IOException {
        ReportBody body = body(null);
        Arriving in = new Arriving(REPORT, REPORT.length);
        assertThat(body.readAvailable(in)).isNull();
        assertThat(in.pos).isZero();
        assertThat(body.isDone()).isFalse();
        assertThat(body.readFrom(new ByteArrayInputStream(REPORT), () -> true)).extracting(Response::status).isEqualTo(204);
    }

    @Test
    void aDeclaredLengthOfZeroIsAnsweredWithoutReading() throws IOException {
        Arriving in = new Arriving(REPORT, REPORT.length);
        Response r = body("0").readAvailable(in);
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(400);
        assertThat(in.pos).isZero();
        assertThat(sink.events).isEmpty();
    }

    @Test
    void aStreamThatEndsEarlyIsAnsweredAsAtAnyEnd() throws IOException {
        byte[] half = Arrays.copyOf(REPORT, 30);
        InputStream in = new ByteArrayInputStream(half) {
            @Override
            public synchronized int available() {
                return Math.max(super.available(), 1); // the end of the stream is there to read
            }
        };
        Response r = body(Integer.toString(REPORT.length)).readAvailable(in);
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(400);
        assertThat(sink.events).isEmpty();
    }

    @Test
    void anAnsweredBodyReadsNothingMore() throws IOException {
        ReportBody body = body(Integer.toString(REPORT.length));
        body.abort();
        Arriving in = new Arriving(REPORT, REPORT.length);
        assertThat(body.readAvailable(in)).isNull();
        assertThat(in.pos).isZero();
    }

    @Test
    void aFailingStreamThrowsForTheAdapterToAnswer() {
        ReportBody body = body(Integer.toString(REPORT.length));
        InputStream broken = new InputStream() {
            @Override
            public int available() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public int read() {
                return -1;
            }
        };
        assertThatThrownBy(() -> body.readAvailable(broken)).isInstanceOf(IOException.class);
        Response r = body.failed(new IOException("connection reset"));
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(400);
        assertThat(sink.events).isEmpty();
    }
}
