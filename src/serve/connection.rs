//! Accepting connections: HTTP/1.1 with a header-read timeout (a client that is slow to send
//! its headers, or keeps an idle connection open, is cut off) and an idle timeout on the
//! socket (no byte read or written for that long while a request is in progress), each request
//! tagged with the client's address for the sign-in throttle.

use super::ServeConfig;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// Accepts connections until the task is dropped, serving each on its own task.
pub(super) async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Router,
    config: ServeConfig,
) {
    // The idle timeout must not cut a request that is still computing (the compute timeout
    // and the request timeout around it).
    let idle = config
        .idle_timeout
        .max(config.compute_timeout * 2 + Duration::from_secs(5));
    let header_read = config.header_read_timeout;
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        tokio::spawn(async move {
            let io = TokioIo::new(IdleTimeout::new(stream, idle));
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read)
                .serve_connection(io, TowerToHyperService::new(service))
                .await;
        });
    }
}

/// A socket that fails with `TimedOut` once no byte has moved for `limit` while it is polled.
pub(super) struct IdleTimeout<T> {
    inner: T,
    limit: Duration,
    sleep: Pin<Box<Sleep>>,
}

impl<T> IdleTimeout<T> {
    pub(super) fn new(inner: T, limit: Duration) -> IdleTimeout<T> {
        IdleTimeout {
            inner,
            limit,
            sleep: Box::pin(tokio::time::sleep(limit)),
        }
    }

    /// After progress: the clock starts again. While pending: an error once the time is up.
    fn watch<R>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>> {
        match polled {
            Poll::Ready(r) => {
                let next = Instant::now() + self.limit;
                self.sleep.as_mut().reset(next);
                Poll::Ready(r)
            }
            Poll::Pending => match self.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection idle for too long",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for IdleTimeout<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        this.watch(cx, polled)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.watch(cx, polled)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_flush(cx);
        this.watch(cx, polled)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(idle: &mut IdleTimeout<tokio::net::TcpStream>) -> io::Result<usize> {
        let mut buf = [0u8; 8];
        std::future::poll_fn(|cx| {
            let mut b = ReadBuf::new(&mut buf);
            Pin::new(&mut *idle)
                .poll_read(cx, &mut b)
                .map_ok(|()| b.filled().len())
        })
        .await
    }

    #[test]
    fn a_silent_socket_times_out_and_a_busy_one_does_not() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let client = tokio::net::TcpStream::connect(addr).await.unwrap();
            let (server, _) = listener.accept().await.unwrap();
            let mut idle = IdleTimeout::new(server, Duration::from_millis(100));
            let started = std::time::Instant::now();
            let err = read(&mut idle).await.unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::TimedOut);
            assert!(started.elapsed() >= Duration::from_millis(100));

            // Bytes every 60 ms keep a 200 ms limit from firing.
            let mut busy = IdleTimeout::new(idle.inner, Duration::from_millis(200));
            let writer = tokio::spawn(async move {
                for _ in 0..5 {
                    tokio::time::sleep(Duration::from_millis(60)).await;
                    client.writable().await.unwrap();
                    client.try_write(b"x").unwrap();
                }
                client
            });
            let mut got = 0;
            while got < 5 {
                got += read(&mut busy).await.expect("not idle");
            }
            drop(writer.await.unwrap());
        });
    }
}
