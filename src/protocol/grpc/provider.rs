//! The `tfplugin5.Provider` gRPC service: every handler has the one shape of
//! [`ProviderService::call`] (in `handler`): a span, a cancellation token, the request converted,
//! the [`ProviderServer`](crate::protocol::ProviderServer) called inside the panic guard, the
//! answer converted back. ListResource streams (`list_stream`). RPCs the provider has nothing for
//! (actions, ephemeral resources, configuration generation) are answered here without reaching the
//! provider.

mod handler;
mod list_stream;

use std::pin::Pin;

use tonic::{Request, Response, Status};

use super::generated::tfplugin5 as pb;
use super::generated::tfplugin5::provider_server::Provider;
use super::request::rpc_span;
use crate::protocol::provider_server as api;

pub(crate) use handler::ProviderService;

pub(super) type EventStream<T> = Pin<Box<dyn futures::Stream<Item = Result<T, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        self.call("GetMetadata", None, request.into_inner(), |s, _: (), _| async move { s.get_metadata().await }).await
    }

    async fn get_schema(
        &self,
        request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        self.call("GetProviderSchema", None, request.into_inner(), |s, _: (), _| async move {
            s.get_provider_schema().await
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        self.call("GetResourceIdentitySchemas", None, request.into_inner(), |s, _: (), _| async move {
            s.get_resource_identity_schemas().await
        })
        .await
    }

    async fn prepare_provider_config(
        &self,
        request: Request<pb::prepare_provider_config::Request>,
    ) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
        self.call_blocking("PrepareProviderConfig", None, request.into_inner(), |s, r, _| async move {
            s.prepare_provider_config(r).await
        })
        .await
    }

    async fn validate_resource_type_config(
        &self,
        request: Request<pb::validate_resource_type_config::Request>,
    ) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("ValidateResourceTypeConfig", type_name, request, |s, r, _| async move {
            s.validate_resource_type_config(r).await
        })
        .await
    }

    async fn validate_data_source_config(
        &self,
        request: Request<pb::validate_data_source_config::Request>,
    ) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("ValidateDataSourceConfig", type_name, request, |s, r, _| async move {
            s.validate_data_source_config(r).await
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("UpgradeResourceState", type_name, request, |s, r, _| async move {
            s.upgrade_resource_state(r).await
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call("UpgradeResourceIdentity", type_name, request, |s, r, _| async move {
            s.upgrade_resource_identity(r).await
        })
        .await
    }

    async fn configure(
        &self,
        request: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        self.call(
            "ConfigureProvider",
            None,
            request.into_inner(),
            |s, r, c| async move { s.configure_provider(r, c).await },
        )
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call("ReadResource", type_name, request, |s, r, c| async move { s.read_resource(r, c).await }).await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("PlanResourceChange", type_name, request, |s, r, c| async move {
            s.plan_resource_change(r, c).await
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call(
            "ApplyResourceChange",
            type_name,
            request,
            |s, r, c| async move { s.apply_resource_change(r, c).await },
        )
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call(
            "ImportResourceState",
            type_name,
            request,
            |s, r, c| async move { s.import_resource_state(r, c).await },
        )
        .await
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.target_type_name.clone());
        self.call("MoveResourceState", type_name, request, |s, r, _| async move { s.move_resource_state(r).await })
            .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call("ReadDataSource", type_name, request, |s, r, c| async move { s.read_data_source(r, c).await }).await
    }

    async fn generate_resource_config(
        &self,
        request: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        Err(Self::unimplemented("GenerateResourceConfig", Some(&request.get_ref().type_name)))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let type_name = &request.get_ref().type_name;
        let _entered = rpc_span("ValidateEphemeralResourceConfig", Some(type_name)).entered();
        Ok(Response::new(pb::validate_ephemeral_resource_config::Response {
            diagnostics: Self::no_ephemeral_resources(type_name),
        }))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let type_name = &request.get_ref().type_name;
        let _entered = rpc_span("OpenEphemeralResource", Some(type_name)).entered();
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics: Self::no_ephemeral_resources(type_name),
            ..Default::default()
        }))
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let type_name = &request.get_ref().type_name;
        let _entered = rpc_span("RenewEphemeralResource", Some(type_name)).entered();
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics: Self::no_ephemeral_resources(type_name),
            ..Default::default()
        }))
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let type_name = &request.get_ref().type_name;
        let _entered = rpc_span("CloseEphemeralResource", Some(type_name)).entered();
        Ok(Response::new(pb::close_ephemeral_resource::Response {
            diagnostics: Self::no_ephemeral_resources(type_name),
        }))
    }

    type ListResourceStream = EventStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        Ok(Response::new(self.list_stream(request.into_inner())))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let request = request.into_inner();
        let type_name = Some(request.type_name.clone());
        self.call_blocking("ValidateListResourceConfig", type_name, request, |s, r, _| async move {
            s.validate_list_resource_config(r).await
        })
        .await
    }

    async fn get_functions(
        &self,
        request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        self.call("GetFunctions", None, request.into_inner(), |s, _: (), _| async move { s.get_functions().await })
            .await
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        self.call_blocking("CallFunction", None, request.into_inner(), |s, r: api::CallFunctionRequest, _| async move {
            s.call_function(r).await
        })
        .await
    }

    async fn validate_action_config(
        &self,
        request: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        Err(Self::unimplemented("ValidateActionConfig", Some(&request.get_ref().action_type)))
    }

    async fn plan_action(
        &self,
        request: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        Err(Self::unimplemented("PlanAction", Some(&request.get_ref().action_type)))
    }

    type InvokeActionStream = EventStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        request: Request<pb::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        Err(Self::unimplemented("InvokeAction", Some(&request.get_ref().action_type)))
    }

    async fn stop(&self, _request: Request<pb::stop::Request>) -> Result<Response<pb::stop::Response>, Status> {
        let _entered = rpc_span("StopProvider", None).entered();
        self.stop.stop();
        tracing::info!("Stop requested: cancelled every in-flight request");
        Ok(Response::new(pb::stop::Response { error: String::new() }))
    }
}

#[cfg(test)]
mod tests;
