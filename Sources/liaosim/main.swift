print(String(decoding: PackageResources.plan_lua, as: UTF8.self))
