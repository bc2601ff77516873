package io.gatehouse.netty;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Netty's decoder reads a request with both {@code Content-Length} and {@code Transfer-Encoding} as
 * chunked after removing {@code Content-Length}, where Gatehouse (like Tomcat) refuses it: headers
 * that remember that removal let the handler tell.
 */
final class StrictFraming {
    private static final HttpHeadersFactory HEADERS = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new Remembering();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return DefaultHttpHeadersFactory.headersFactory().newEmptyHeaders();
        }
    };

    private StrictFraming() {
    }

    static HttpDecoderConfig config() {
        return new HttpDecoderConfig().setHeadersFactory(HEADERS);
    }

    /** Whether the decoder dropped {@code Content-Length} from {@code msg} because of {@code Transfer-Encoding}. */
    static boolean conflict(HttpObject msg) {
        return msg instanceof HttpRequest r && r.headers() instanceof Remembering h && h.contentLengthDropped;
    }

    /** Netty's validating headers, remembering a {@code Content-Length} removed beside {@code Transfer-Encoding}. */
    private static final class Remembering extends DefaultHttpHeaders {
        boolean contentLengthDropped;

        @Override
        public HttpHeaders remove(CharSequence name) {
            if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name) && contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                contentLengthDropped = true;
            }
            return super.remove(name);
        }
    }
}
