{{ define "x" }}abc
