//! The HTTP transport under bollard: one connection per request, and a cap on the bytes read
//! from it.
//!
//! bollard collects every answer whole into memory before parsing it, so a socket that
//! answers with an endless body (a misdirected `DOCKER_HOST`, a broken proxy, a hostile
//! daemon) would grow plimsoll without bound until the call's timeout fired — 4.9 GB in 10 s
//! was measured — and the timeout would then be blamed. The cap is enforced below HTTP, on the
//! connection's reads: a connection that delivers more than
//! [`EngineConfig::max_response_bytes`](crate::EngineConfig::max_response_bytes) fails with
//! [`ResponseTooLarge`] (defined in [`crate::error`], which turns it into
//! [`EngineError::ResponseTooLarge`](crate::EngineError::ResponseTooLarge)). Connections are
//! never reused (the pool keeps no idle connection, as bollard's own transports do), so a
//! connection's byte count is exactly one request's answer (its head and its body).
//!
//! bollard's own transports cannot be wrapped (they hand hyper's body to bollard, which
//! collects it), so this module dials the socket or TCP address itself — and wraps TLS
//! (hyper-rustls) around the capped TCP stream, the same libraries bollard's `ssl` feature
//! uses — and gives the resulting client to bollard as a custom transport.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bollard::{BollardRequest, ClientVersion, Docker};
use hyper::Uri;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::config::{Endpoint, TlsFiles};
use crate::error::{EngineError, ResponseTooLarge};

/// The byte stream of one connection, whatever carries it.
trait Stream: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Stream for T {}

/// A connection that fails its reads once more than `limit` bytes have arrived.
struct Capped {
    inner: Box<dyn Stream>,
    read: u64,
    limit: u64,
}

impl AsyncRead for Capped {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let limit = this.limit;
        let too_large = move || Poll::Ready(Err(io::Error::other(ResponseTooLarge { limit })));
        if this.read > limit {
            return too_large();
        }
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &polled {
            let got = buf.filled().len().saturating_sub(before);
            this.read = this.read.saturating_add(got as u64);
            if this.read > limit {
                return too_large();
            }
        }
        polled
    }
}

impl AsyncWrite for Capped {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

impl Connection for Capped {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

/// Where to dial: the request's URI names no real host (bollard's URI carries the address
/// only for the TLS server name), the connector always dials the configured endpoint.
#[derive(Debug, Clone)]
enum Dial {
    Unix(PathBuf),
    Tcp(String),
}

/// A hyper connector that dials [`Dial`] and caps what the connection may deliver.
#[derive(Debug, Clone)]
struct CappedConnector {
    dial: Arc<Dial>,
    limit: u64,
}

impl tower_service::Service<Uri> for CappedConnector {
    type Response = TokioIo<Capped>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<TokioIo<Capped>>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _uri: Uri) -> Self::Future {
        let dial = Arc::clone(&self.dial);
        let limit = self.limit;
        Box::pin(async move {
            let inner: Box<dyn Stream> = match &*dial {
                Dial::Unix(path) => Box::new(tokio::net::UnixStream::connect(path).await?),
                Dial::Tcp(addr) => {
                    let s = tokio::net::TcpStream::connect(addr.as_str()).await?;
                    // Requests are small and answered at once: no Nagle delay.
                    let _ = s.set_nodelay(true);
                    Box::new(s)
                }
            };
            Ok(TokioIo::new(Capped {
                inner,
                read: 0,
                limit,
            }))
        })
    }
}

/// A bollard client for `endpoint` whose every answer is capped at `limit` bytes.
/// `timeout_secs` is bollard's own (response head) timeout.
pub(crate) fn client(
    endpoint: &Endpoint,
    endpoint_text: &str,
    limit: u64,
    timeout_secs: u64,
    version: &ClientVersion,
) -> Result<Docker, EngineError> {
    let (dial, tls) = match endpoint {
        Endpoint::Unix(path) => (Dial::Unix(path.clone()), None),
        Endpoint::Tcp { addr, tls } => (Dial::Tcp(addr.clone()), tls.as_ref()),
    };
    let connector = CappedConnector {
        dial: Arc::new(dial),
        limit,
    };
    let docker = match (tls, endpoint) {
        (Some(files), Endpoint::Tcp { addr, .. }) => {
            let config = tls_config(files, endpoint_text)?;
            let https = hyper_rustls::HttpsConnector::from((connector, config));
            // The authority is the TLS server name the daemon's certificate must match.
            over(https, format!("https://{addr}"), timeout_secs, version)
        }
        (_, Endpoint::Tcp { addr, .. }) => {
            over(connector, format!("http://{addr}"), timeout_secs, version)
        }
        // What the docker CLI sends as `Host` over a socket.
        (_, Endpoint::Unix(_)) => over(
            connector,
            "http://api.moby.localhost".to_string(),
            timeout_secs,
            version,
        ),
    };
    docker.map_err(|e| crate::error::classify(e, endpoint_text, "connect"))
}

/// bollard over a hyper client on `connector` that keeps no idle connection (so one
/// connection carries one answer, and the cap is per answer). `base` is the scheme and
/// authority bollard puts in front of every path.
fn over<C>(
    connector: C,
    base: String,
    timeout_secs: u64,
    version: &ClientVersion,
) -> Result<Docker, bollard::errors::Error>
where
    C: hyper_util::client::legacy::connect::Connect + Clone + Send + Sync + 'static,
{
    let client = Arc::new(
        Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(connector),
    );
    Docker::connect_with_custom_transport(
        move |req: BollardRequest| {
            let client = Arc::clone(&client);
            async move {
                client
                    .request(req)
                    .await
                    .map_err(bollard::errors::Error::from)
            }
        },
        Some(base),
        timeout_secs,
        version,
    )
}

/// The TLS setup of `docker --tlsverify`: the daemon is verified against `ca.pem` (only), and
/// `cert.pem`/`key.pem` identify plimsoll to it.
fn tls_config(files: &TlsFiles, endpoint: &str) -> Result<rustls::ClientConfig, EngineError> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let tls_err = |detail: String| EngineError::Tls {
        endpoint: endpoint.to_string(),
        detail,
    };
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| tls_err(format!("cannot read {}: {e}", p.display())))
    };
    let certs = |p: &std::path::Path| -> Result<Vec<CertificateDer<'static>>, EngineError> {
        let pem = read(p)?;
        let list = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| tls_err(format!("cannot parse {}: {e}", p.display())))?;
        if list.is_empty() {
            return Err(tls_err(format!("{} holds no PEM certificate", p.display())));
        }
        Ok(list)
    };
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(certs(&files.ca)?);
    if added == 0 {
        return Err(tls_err(format!(
            "no usable CA certificate in {}",
            files.ca.display()
        )));
    }
    let chain = certs(&files.cert)?;
    let key = PrivateKeyDer::from_pem_slice(&read(&files.key)?)
        .map_err(|e| tls_err(format!("cannot parse {}: {e}", files.key.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_err(e.to_string()))?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .map_err(|e| tls_err(format!("cert.pem and key.pem are not a usable pair: {e}")))
}
