//! Property tests of the whole provider behind the engine: arbitrary well-typed configurations of
//! every resource, data source and the provider block, and arbitrary function arguments, go
//! through validation and function calls without a panic (the engine's guard would turn one into
//! "Provider internal error"), and every diagnostic they produce is complete and small.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;

use crate::engine::Engine;
use crate::proptest_support::config;
use crate::protocol::cty::proptests::arb_value;
use crate::protocol::cty::{Type, Value, msgpack};
use crate::protocol::{
    CallFunctionRequest, Diagnostics, DynamicValue, GetProviderSchemaResponse, PrepareProviderConfigRequest,
    ProviderServer, ValidateDataSourceConfigRequest, ValidateResourceTypeConfigRequest,
};

use super::ApigProvider;

fn engine() -> &'static (Engine, GetProviderSchemaResponse) {
    static ENGINE: OnceLock<(Engine, GetProviderSchemaResponse)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let engine = Engine::new(Arc::new(ApigProvider::with_env(Arc::new(HashMap::<String, String>::new()))));
        let schema = block_on(engine.get_provider_schema());
        (engine, schema)
    })
}

fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

/// What to call: a resource, a data source, the provider block or a function, and its value(s).
#[derive(Debug, Clone)]
enum Call {
    Resource(String, Type, Value),
    DataSource(String, Type, Value),
    Provider(Type, Value),
    Function(String, Vec<(Type, Value)>),
}

fn call() -> BoxedStrategy<Call> {
    let (_, schema) = engine();
    let mut choices: Vec<BoxedStrategy<Call>> = Vec::new();
    for (name, s) in &schema.resource_schemas {
        let (name, ty) = (name.clone(), s.block.implied_type());
        choices.push(arb_value(&ty).prop_map(move |v| Call::Resource(name.clone(), ty.clone(), v)).boxed());
    }
    for (name, s) in &schema.data_source_schemas {
        let (name, ty) = (name.clone(), s.block.implied_type());
        choices.push(arb_value(&ty).prop_map(move |v| Call::DataSource(name.clone(), ty.clone(), v)).boxed());
    }
    let provider_ty = schema.provider.block.implied_type();
    choices.push(arb_value(&provider_ty).prop_map(move |v| Call::Provider(provider_ty.clone(), v)).boxed());
    for (name, f) in &schema.functions {
        let name = name.clone();
        let args: Vec<BoxedStrategy<(Type, Value)>> = f
            .parameters
            .iter()
            .map(|p| {
                let ty = p.ty.clone();
                arb_value(&ty).prop_map(move |v| (ty.clone(), v)).boxed()
            })
            .collect();
        choices.push(args.prop_map(move |args| Call::Function(name.clone(), args)).boxed());
    }
    proptest::strategy::Union::new(choices).boxed()
}

fn encoded(ty: &Type, value: &Value) -> DynamicValue {
    // A value the generator made that msgpack cannot carry (none expected) becomes an empty one.
    DynamicValue::msgpack(msgpack::encode(value, ty).unwrap_or_default())
}

fn check(diagnostics: &Diagnostics) -> Result<(), TestCaseError> {
    for d in diagnostics.iter() {
        prop_assert!(d.summary != "Provider internal error", "a panic: {:?}", d);
        prop_assert!(!d.summary.is_empty() && !d.detail.is_empty(), "incomplete: {:?}", d);
        prop_assert!(d.detail.len() < 4096, "{} bytes: {}", d.detail.len(), d.detail);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_configurations_and_arguments(call in call()) {
        let (engine, _) = engine();
        match call {
            Call::Resource(type_name, ty, value) => {
                let request = ValidateResourceTypeConfigRequest {
                    type_name,
                    config: encoded(&ty, &value),
                    client_capabilities: Default::default(),
                };
                check(&block_on(engine.validate_resource_type_config(request)).diagnostics)?;
            }
            Call::DataSource(type_name, ty, value) => {
                let request = ValidateDataSourceConfigRequest { type_name, config: encoded(&ty, &value) };
                check(&block_on(engine.validate_data_source_config(request)).diagnostics)?;
            }
            Call::Provider(ty, value) => {
                let request = PrepareProviderConfigRequest { config: encoded(&ty, &value) };
                check(&block_on(engine.prepare_provider_config(request)).diagnostics)?;
            }
            Call::Function(name, args) => {
                let arguments = args.iter().map(|(ty, v)| encoded(ty, v)).collect();
                let answer = block_on(engine.call_function(CallFunctionRequest { name, arguments }));
                if let Some(error) = answer.error {
                    prop_assert!(!error.text.contains("internal error"), "a panic: {}", error.text);
                    prop_assert!(!error.text.is_empty() && error.text.len() < 4096, "{}", error.text);
                }
            }
        }
    }
}
