//! CallFunction with typed, variadic and faulty arguments.

use super::*;

async fn call(e: &Engine, name: &str, args: &[(Value, Type)]) -> CallFunctionResponse {
    e.call_function(CallFunctionRequest { name: name.into(), arguments: args.iter().map(|(v, t)| dv(v, t)).collect() })
        .await
}

#[tokio::test]
async fn calls_decode_arguments_and_encode_the_result() {
    let (e, _) = engine();
    let r = call(&e, "upper", &[(Value::string("abc"), Type::String)]).await;
    assert_eq!(r.error, None);
    assert_eq!(val(r.result.as_ref().unwrap(), &Type::String), Value::string("ABC"));
    let r = call(
        &e,
        "join",
        &[(Value::string("-"), Type::String), (Value::number(1), Type::Number), (Value::number(2), Type::Number)],
    )
    .await;
    assert_eq!(val(r.result.as_ref().unwrap(), &Type::String), Value::string("1-2"));
}

#[tokio::test]
async fn function_errors_keep_the_argument_index() {
    let (e, _) = engine();
    let r = call(&e, "upper", &[(Value::string(""), Type::String)]).await;
    assert_eq!(r.error.unwrap().function_argument, Some(0));
    // A string where the variadic parameter wants numbers: argument 2 is at fault.
    let r = call(
        &e,
        "join",
        &[(Value::string("-"), Type::String), (Value::number(1), Type::Number), (Value::string("x"), Type::String)],
    )
    .await;
    assert_eq!(r.error.unwrap().function_argument, Some(2));
    let r = call(&e, "upper", &[(Value::string("a"), Type::String), (Value::string("b"), Type::String)]).await;
    assert_eq!(r.error.unwrap().function_argument, Some(1));
    let r = call(&e, "upper", &[]).await;
    assert!(r.error.unwrap().text.contains("needs 1 argument"));
}
