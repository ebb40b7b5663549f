package dev.jneon.broker.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the TLS private key from PEM in the three forms operators have: PKCS#8
 * ({@code BEGIN PRIVATE KEY}, RSA or EC; what {@code openssl req -nodes} writes), PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}; cert-manager's default) and SEC1 ({@code BEGIN EC PRIVATE KEY}).
 * The last two are wrapped into PKCS#8 for the JDK's key factories:
 * {@code SEQUENCE { INTEGER 0, SEQUENCE { algorithm OID, parameters }, OCTET STRING key }}, where
 * an RSA key's parameters are NULL and an EC key's are its named curve, taken from the SEC1
 * structure's {@code [0]} field. Encrypted keys are not supported. Stateless.
 */
final class PemPrivateKey {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----([^-]*)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = der(0x30, concat(
            der(0x06, hex("2a864886f70d010101")), der(0x05, new byte[0]))); // rsaEncryption, NULL
    private static final byte[] EC_PUBLIC_KEY_OID = der(0x06, hex("2a8648ce3d0201")); // id-ecPublicKey
    private static final byte[] VERSION_0 = der(0x02, new byte[] {0});

    private PemPrivateKey() {
    }

    static PrivateKey parse(byte[] pem) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new InvalidKeySpecException("no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) found");
        }
        byte[] body;
        try {
            body = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("PEM private key is not valid base64", e);
        }
        return switch (m.group(1)) {
            case "RSA PRIVATE KEY" -> generate("RSA", pkcs8(RSA_ALGORITHM, body));
            case "EC PRIVATE KEY" -> generate("EC", pkcs8(der(0x30, concat(EC_PUBLIC_KEY_OID, sec1Curve(body))), body));
            default -> {
                try {
                    yield generate("RSA", body);
                } catch (InvalidKeySpecException notRsa) {
                    yield generate("EC", body);
                }
            }
        };
    }

    private static PrivateKey generate(String algorithm, byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static byte[] pkcs8(byte[] algorithmIdentifier, byte[] key) {
        return der(0x30, concat(VERSION_0, algorithmIdentifier, der(0x04, key)));
    }

    /** The named-curve OID (a whole DER element) in SEC1's {@code [0] parameters} field. */
    private static byte[] sec1Curve(byte[] sec1) throws InvalidKeySpecException {
        int[] outer = header(sec1, 0);
        if (sec1[0] != 0x30) {
            throw new InvalidKeySpecException("EC PRIVATE KEY is not a DER SEQUENCE");
        }
        int pos = outer[0];
        int end = outer[0] + outer[1];
        while (pos < end) {
            int[] h = header(sec1, pos);
            if ((sec1[pos] & 0xFF) == 0xA0) {
                return Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
            }
            pos = h[0] + h[1];
        }
        throw new InvalidKeySpecException("EC PRIVATE KEY does not name its curve");
    }

    /** {content offset, content length} of the DER element at {@code pos}. */
    private static int[] header(byte[] b, int pos) throws InvalidKeySpecException {
        if (pos + 2 > b.length) {
            throw new InvalidKeySpecException("truncated DER in EC PRIVATE KEY");
        }
        int first = b[pos + 1] & 0xFF;
        if (first < 0x80) {
            return checked(b, pos + 2, first);
        }
        int count = first & 0x7F;
        if (count > 3 || pos + 2 + count > b.length) {
            throw new InvalidKeySpecException("bad DER length in EC PRIVATE KEY");
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = length << 8 | (b[pos + 2 + i] & 0xFF);
        }
        return checked(b, pos + 2 + count, length);
    }

    private static int[] checked(byte[] b, int offset, int length) throws InvalidKeySpecException {
        if (offset + length > b.length) {
            throw new InvalidKeySpecException("truncated DER in EC PRIVATE KEY");
        }
        return new int[] {offset, length};
    }

    private static byte[] der(int tag, byte[] content) {
        var out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
