// TLS set-up for the HTTPS server: a hardened OpenSSL server context (TLS 1.2+, AEAD suites
// only, server preference, no compression or renegotiation) and a self-signed certificate
// generator for localhost. Functions are thread-safe; a returned context is shared read-only
// by all connections.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>

#include "core/result.h"

namespace baomi::http {

// TLS 1.2 suites offered; TLS 1.3 keeps OpenSSL's default (all AEAD) suites.
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Loads the PEM certificate chain and private key. Fails, naming the file, when either cannot
// be loaded, they do not match, or the key file is readable by group or others.
Result<std::shared_ptr<boost::asio::ssl::context>> make_server_tls_context(
    const std::filesystem::path& cert_file, const std::filesystem::path& key_file);

// Creates an ECDSA P-256 key and a self-signed certificate for localhost, 127.0.0.1 and ::1.
// key.pem is created 0600 with O_EXCL (never world-readable, never overwritten); cert.pem is
// written 0644. On failure nothing is left behind.
Result<void> write_self_signed_cert(const std::filesystem::path& cert,
                                    const std::filesystem::path& key, int valid_days = 825);

}  // namespace baomi::http
