//! The enrolment form (注册): what a desk gives to enrol with the city committee's sync server,
//! checked the same way for the app and for `hearingctl enroll`.

use crate::error::ValidationErrors;

/// A checked enrolment: the server's address without a trailing slash, the one-time code and
/// the name the device is known by on the server, each trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub server: String,
    pub code: String,
    pub device_name: String,
}

/// Checks the enrolment form, naming every problem under its field at once.
pub fn check(server: &str, code: &str, device_name: &str) -> Result<Enrolment, ValidationErrors> {
    let server = server.trim().trim_end_matches('/').to_owned();
    let code = code.trim().to_owned();
    let device_name = device_name.trim().to_owned();
    let mut e = ValidationErrors::default();
    if server.is_empty() {
        e.push(
            "server",
            "required",
            "请输入同步服务器地址，例如 https://sync.example.cn:8443",
        );
    } else if !(server.starts_with("http://") || server.starts_with("https://"))
        || server.contains(char::is_whitespace)
    {
        e.push(
            "server",
            "invalid",
            "服务器地址应以 http:// 或 https:// 开头，例如 https://sync.example.cn:8443",
        );
    }
    if code.is_empty() {
        e.push("code", "required", "请输入市委政法委发放的注册码");
    }
    if device_name.is_empty() {
        e.push(
            "deviceName",
            "required",
            "请为本机取一个名称，便于服务器管理员辨认",
        );
    }
    e.into_result(Enrolment {
        server,
        code,
        device_name,
    })
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn the_form_names_every_problem_under_its_field() {
        let e = check("sync.example.cn", "", "").unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["server", "code", "deviceName"]);
        assert!(e.0[0].message.contains("http://"));
        assert!(check("https://a b", "x", "y").is_err());
        assert!(check("   ", "x", "y").is_err());
        let ok = check(" http://127.0.0.1:8080/ ", " K7QM-2XPD-9WTA ", " 东河区 ").unwrap();
        assert_eq!(ok.server, "http://127.0.0.1:8080");
        assert_eq!(ok.code, "K7QM-2XPD-9WTA");
        assert_eq!(ok.device_name, "东河区");
    }
}
