#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include "http/server/tls.h"

namespace baomi::http {
namespace {

namespace ssl = boost::asio::ssl;

Error tls_error(std::string message) {
  ERR_clear_error();  // OpenSSL's queue may name key material details; keep it out of logs
  return Error::internal(std::move(message));
}

Result<void> check_key_permissions(const std::filesystem::path& key_file) {
  struct stat st {};
  if (::stat(key_file.c_str(), &st) != 0) {
    return tls_error("cannot read TLS key file " + key_file.string());
  }
  // Same stance as for the master key (DESIGN.md): refuse keys others can read.
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return tls_error("TLS key file " + key_file.string() +
                     " is accessible by group or others; chmod 600 it");
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_server_tls_context(
    const std::filesystem::path& cert_file, const std::filesystem::path& key_file) {
  BAOMI_TRY(check_key_permissions(key_file));
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* raw = ctx->native_handle();
  SSL_CTX_set_options(raw, SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
                               SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_ECDH_USE);
  if (SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(raw, kTls12Ciphers) != 1) {
    return tls_error("cannot configure TLS protocol versions or cipher suites");
  }
  if (SSL_CTX_use_certificate_chain_file(raw, cert_file.c_str()) != 1) {
    return tls_error("cannot load TLS certificate chain from " + cert_file.string());
  }
  if (SSL_CTX_use_PrivateKey_file(raw, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return tls_error("TLS private key " + key_file.string() + " does not match certificate " +
                       cert_file.string());
    }
    return tls_error("cannot load TLS private key from " + key_file.string());
  }
  if (SSL_CTX_check_private_key(raw) != 1) {
    return tls_error("TLS private key " + key_file.string() + " does not match certificate " +
                     cert_file.string());
  }
  return ctx;
}

}  // namespace baomi::http
