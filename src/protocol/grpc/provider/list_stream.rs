//! ListResource is the one server-streaming RPC: the listing runs on its own task and its events
//! reach Terraform as they are sent, so the first page shows before the last is fetched. When
//! Terraform stops reading (its `limit`, or Ctrl-C) the channel closes and the listing ends at its
//! next event; Stop fires its cancellation token as for every other RPC.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::{FutureExt, StreamExt};
use tracing::Instrument;

use super::super::generated::tfplugin5 as pb;
use super::super::guard;
use super::super::request::rpc_span;
use super::EventStream;
use super::ProviderService;
use crate::protocol::provider_server as api;

/// Events in flight between the listing and the gRPC stream: a few pages' worth, so a slow
/// reader holds the listing back instead of letting it buffer the whole project.
const EVENTS_IN_FLIGHT: usize = 64;

impl ProviderService {
    pub(super) fn list_stream(&self, request: pb::list_resource::Request) -> EventStream<pb::list_resource::Event> {
        let span = rpc_span("ListResource", Some(&request.type_name));
        let (events, received) = tokio::sync::mpsc::channel(EVENTS_IN_FLIGHT);
        let server = Arc::clone(&self.server);
        let cancel = self.stop.token();
        let request = api::ListResourceRequest::from(request);
        tokio::spawn(
            async move {
                tracing::debug!("Received request");
                let on_panic = events.clone();
                let listing = AssertUnwindSafe(server.list_resource(request, events, cancel)).catch_unwind().await;
                match listing {
                    Ok(()) => tracing::debug!("Served request"),
                    Err(_) => {
                        tracing::error!("internal error (panic) while listing: answered with an error diagnostic");
                        let failed = api::ListResourceEvent {
                            diagnostics: guard::internal_error("ListResource").into(),
                            ..Default::default()
                        };
                        // Nobody to tell when Terraform already stopped reading.
                        let _ = on_panic.send(failed).await;
                    }
                }
            }
            .instrument(span),
        );
        Box::pin(tokio_stream::wrappers::ReceiverStream::new(received).map(|e| Ok(pb::list_resource::Event::from(e))))
    }
}
