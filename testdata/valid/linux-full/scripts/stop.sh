#!/bin/sh
pkill -x orders
