module bosun.local/tools/images/runtime-wrapper

go 1.26.0
