{{ semver "1.2.3-rc.1+b5" }} {{ semver "v1.2" }} {{ $v := semver "1.2.3" }}{{ print $v }} {{ printf "%v|%s|%q|%x" $v $v $v $v }} {{ list $v }} {{ $v | toString }} {{ typeOf $v }} {{ kindOf $v }}
