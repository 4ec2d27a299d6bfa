# tradeloop_add_layer(<name> [DEPS <public targets>] [LIBS <private linked libs>]
#                     [HEADER_ONLY <private header-only targets>])
#
# One layer = one folder = one static library `tradeloop::<name>` (DESIGN.md §2). Sources are
# every .cpp under src/<name>/ (subfolders too, e.g. venues/binance); public headers live in
# include/tradeloop/<name>/. DEPS are the lower layers this one uses; only those can be
# included, so a wrong include fails the build.
set(TRADELOOP_EXPORTED_LAYERS "" CACHE INTERNAL "")

function(tradeloop_add_layer name)
  cmake_parse_arguments(L "" "" "DEPS;LIBS;HEADER_ONLY" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  set(target tradeloop_${name})
  add_library(${target} STATIC ${srcs})
  add_library(tradeloop::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME tradeloop_${name})
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${L_DEPS} PRIVATE ${L_LIBS} $<BUILD_INTERFACE:tradeloop_warnings>)
  foreach(h IN LISTS L_HEADER_ONLY)
    target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:${h}>)
  endforeach()
  install(TARGETS ${target} EXPORT tradeloopTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  set(TRADELOOP_EXPORTED_LAYERS ${TRADELOOP_EXPORTED_LAYERS} ${name} CACHE INTERNAL "")
endfunction()
